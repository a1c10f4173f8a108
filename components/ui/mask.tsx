import { visibleControls } from '@/lib/format';

/** A mask or username in monospace, control characters shown, long ones wrapped. */
export function MaskText({ mask }: { mask: string }) {
  return <code className="font-mono break-all whitespace-normal">{visibleControls(mask)}</code>;
}
