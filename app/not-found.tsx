import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="mx-auto max-w-xl px-4 py-16 text-center">
      <h1 className="text-lg font-semibold">Page not found</h1>
      <p className="mt-2 text-sm text-zinc-600">This address is not part of the dashboard.</p>
      <Link href="/" className="mt-4 inline-block text-sky-800">
        Go to the overview
      </Link>
    </main>
  );
}
