import { useState } from "react";
import { cx } from "../lib/cx";
import { initials } from "../lib/format";

interface AvatarProps {
  name: string;
  url?: string | null;
  size?: "sm" | "md" | "lg";
}

/** Decorative: the person's name is always shown or announced next to it. */
export function Avatar({ name, url, size = "md" }: AvatarProps) {
  const [failedUrl, setFailedUrl] = useState<string | null>(null);
  const showImage = Boolean(url) && url !== failedUrl;
  return (
    <span className={cx("avatar", `avatar--${size}`)} aria-hidden="true">
      {showImage && url ? (
        <img
          src={url}
          alt=""
          referrerPolicy="no-referrer"
          loading="lazy"
          onError={() => {
            setFailedUrl(url);
          }}
        />
      ) : (
        initials(name)
      )}
    </span>
  );
}
