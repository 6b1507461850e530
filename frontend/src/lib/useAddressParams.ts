import { useCallback, useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import { useDebouncedValue } from "./useDebouncedValue";

/**
 * Filters kept in the address, so a list can be shared, reloaded and navigated back to.
 * `setParam(name, null)` (or "") removes the parameter; changes replace the history entry and
 * keep the scroll position.
 */
export function useAddressParams() {
  const [searchParams, setSearchParams] = useSearchParams();
  const setParam = useCallback(
    (name: string, value: string | null) => {
      setSearchParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (value) next.set(name, value);
          else next.delete(name);
          return next;
        },
        { replace: true, preventScrollReset: true },
      );
    },
    [setSearchParams],
  );
  return { searchParams, setParam };
}

/**
 * A typed filter (a search box, a tag box): `input` follows every keystroke, and the trimmed text
 * goes into the address parameter `name` once typing pauses for `delayMs`. `value` is what the
 * address holds (what the list shows); `pending` is true while the two differ.
 */
export function useTypedAddressParam(name: string, delayMs: number) {
  const { searchParams, setParam } = useAddressParams();
  const value = searchParams.get(name) ?? "";
  const [input, setInput] = useState(value);
  const settled = useDebouncedValue(input.trim(), delayMs);

  useEffect(() => {
    if (settled !== value) setParam(name, settled);
  }, [settled, value, name, setParam]);

  return { value, input, setInput, pending: input.trim() !== value };
}
