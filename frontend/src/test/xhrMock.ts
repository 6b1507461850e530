/**
 * A fake XMLHttpRequest for uploads (jsdom's would try the network): each request waits until
 * the test answers it, and the test can report upload progress first.
 */
import { vi } from "vitest";

export class FakeUploadRequest {
  static sent: FakeUploadRequest[] = [];
  method = "";
  url = "";
  headers = new Map<string, string>();
  body: FormData | null = null;
  status = 0;
  statusText = "";
  responseText = "";
  responseHeaders = "";
  upload: { onprogress: ((event: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;

  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers.set(name.toLowerCase(), value);
  }
  getAllResponseHeaders() {
    return this.responseHeaders;
  }
  send(body: FormData) {
    this.body = body;
    FakeUploadRequest.sent.push(this);
  }
  abort() {
    this.onabort?.();
  }

  progress(fraction: number) {
    this.upload.onprogress?.({ lengthComputable: true, loaded: fraction * 1000, total: 1000 });
  }
  respond(status: number, body: unknown, contentType = "application/json") {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.responseHeaders = `content-type: ${contentType}\r\n`;
    this.onload?.();
  }
  get file(): File | null {
    const value = this.body?.get("file");
    return value instanceof File ? value : null;
  }
}

export function mockUploads(): typeof FakeUploadRequest {
  FakeUploadRequest.sent = [];
  vi.stubGlobal("XMLHttpRequest", FakeUploadRequest);
  return FakeUploadRequest;
}
