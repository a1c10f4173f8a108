import type { Metadata } from 'next';

import { UserView } from '@/components/user/user-view';
import { decodeSegment } from '@/lib/paths';

type Params = Promise<{ id: string; username: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { username } = await params;
  return { title: decodeSegment(username) };
}

export default async function UserPage({ params }: { params: Params }) {
  const { id, username } = await params;
  return <UserView replicatorId={decodeSegment(id)} username={decodeSegment(username)} />;
}
