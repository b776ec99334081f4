/** Where a person lands after deleting their account: it's done, and what stays. */
import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";

export const meta: MetaFunction = () => [
  { title: "Your account is deleted · PeerDesk" },
  { name: "robots", content: "noindex" },
];

export default function Goodbye() {
  return (
    <div className="mx-auto max-w-md space-y-3">
      <h1 className="text-2xl font-bold">Your account is deleted</h1>
      <p>
        Your personal data is gone and you are signed out. What you wrote and kept now shows "Former member". Thank you
        for helping others here.
      </p>
      <p>
        <Link to="/">Back to the home page</Link>
      </p>
    </div>
  );
}
