import type { ImgHTMLAttributes } from "react";
import { useUploadUrl } from "./useUploadUrl";

/** An `<img>` of an upload: its address needs the bearer token, so it is fetched first. */
export function UploadImage({ url, alt, ...image }: { url: string; alt: string } & Omit<ImgHTMLAttributes<HTMLImageElement>, "src">) {
  const { src, failed } = useUploadUrl(url);
  if (failed) return <span className="upload-image upload-image--failed">{alt} (could not be loaded)</span>;
  if (!src) return <span className="upload-image upload-image--loading" role="img" aria-label={`${alt} (loading)`} />;
  return <img src={src} alt={alt} {...image} />;
}
