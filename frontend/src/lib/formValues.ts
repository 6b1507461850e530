import { useState } from "react";

/**
 * The values of one form, edited field by field. Editing a field also clears that field's error
 * (people should not see a complaint about what they are fixing) and runs `onEdit`, which forms
 * use to hide a "Saved" notice that no longer describes what is on screen.
 */
export function useFormValues<T extends object>(
  initial: T | (() => T),
  clearField: (field: string) => void,
  onEdit?: () => void,
) {
  const [values, setValues] = useState<T>(initial);

  function set<K extends keyof T>(field: K, value: T[K]) {
    setValues((current) => ({ ...current, [field]: value }));
    clearField(String(field));
    onEdit?.();
  }

  return [values, set, setValues] as const;
}
