import { Form, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { Badge, Button, Card, Field, LocalTime, Select } from "./ui.tsx";

interface ShareLinkRow {
  id: string;
  token: string;
  mode: "READ" | "EDIT";
  expiresAt: string | Date | null;
  createdBy: { name: string };
}

/** Share links for a room: make one that lets people watch or edit, copy it, revoke it. */
export function RoomShare({ links }: { links: ShareLinkRow[] }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "share-create";
  const [origin, setOrigin] = useState("");
  const [copied, setCopied] = useState<string | null>(null);
  useEffect(() => setOrigin(location.origin), []);
  return (
    <Card title="Share">
      <Form method="post" className="grid grid-cols-2 gap-2">
        <Field label="People can">
          {(p) => (
            <Select {...p} name="mode" defaultValue="READ">
              <option value="READ">watch</option>
              <option value="EDIT">edit</option>
            </Select>
          )}
        </Field>
        <Field label="Expires">
          {(p) => (
            <Select {...p} name="expiresIn" defaultValue="1d">
              <option value="1h">in 1 hour</option>
              <option value="1d">in 1 day</option>
              <option value="7d">in 7 days</option>
              <option value="never">never</option>
            </Select>
          )}
        </Field>
        <Button className="col-span-2" variant="secondary" name="intent" value="share-create" busy={busy}>Create a link</Button>
      </Form>
      {links.length ? (
        <ul className="mt-4 space-y-3 text-sm" aria-label="Share links" data-testid="share-links">
          {links.map((link) => {
            const url = `${origin}/share/${link.token}`;
            return (
              <li key={link.id} className="space-y-1">
                <div className="flex items-center gap-2">
                  <Badge tone={link.mode === "EDIT" ? "amber" : "indigo"}>{link.mode === "EDIT" ? "can edit" : "can watch"}</Badge>
                  <span className="text-xs text-slate-600 dark:text-slate-400">
                    {link.expiresAt ? <>until <LocalTime value={link.expiresAt} /></> : "no expiry"} · by {link.createdBy.name}
                  </span>
                </div>
                <input readOnly aria-label={`Link that lets people ${link.mode === "EDIT" ? "edit" : "watch"}`} value={url} onFocus={(e) => e.currentTarget.select()} className="w-full rounded border-0 bg-slate-50 px-2 py-1 font-mono text-xs ring-1 ring-inset ring-slate-300 dark:bg-slate-900 dark:ring-slate-600" />
                <div className="flex gap-2">
                  <Button type="button" variant="ghost" onClick={() => void navigator.clipboard?.writeText(url).then(() => setCopied(link.id))}>
                    {copied === link.id ? "Copied" : "Copy"}
                  </Button>
                  <Form method="post">
                    <input type="hidden" name="linkId" value={link.id} />
                    <Button variant="ghost" name="intent" value="share-revoke">Revoke</Button>
                  </Form>
                </div>
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="mt-3 text-xs text-slate-600 dark:text-slate-400">No links yet. Anyone with a link can join without an account, under a name they choose.</p>
      )}
    </Card>
  );
}
