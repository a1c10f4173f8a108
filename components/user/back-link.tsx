import Link from 'next/link';

export function BackLink({ href }: { href: string }) {
  return (
    <Link href={href} className="mb-2 inline-block text-xs text-zinc-500 hover:text-zinc-800">
      ← Users
    </Link>
  );
}
