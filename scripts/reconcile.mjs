#!/usr/bin/env node
// `npm run reconcile`: asks a running Tollgate (TOLLGATE_URL, default http://localhost:3000) to
// compare each tenant's ledger with its budget counter, prints the table, and exits 1 when they
// differ. Differences while traffic runs are the reservations in flight.
const base = process.env.TOLLGATE_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
const token = process.env.TOLLGATE_ADMIN_TOKEN;
if (!token) {
  process.stderr.write("Set TOLLGATE_ADMIN_TOKEN (the running instance's admin token).\n");
  process.exit(2);
}
const res = await fetch(`${base}/api/admin/reconcile`, {
  headers: { authorization: `Bearer ${token}` },
});
const body = await res.json();
if (!res.ok) {
  process.stderr.write(`${res.status}: ${body.error?.message ?? JSON.stringify(body)}\n`);
  process.exit(2);
}
const usd = (nano) => (nano === null ? "-" : `$${(nano / 1e9).toFixed(9)}`);
process.stdout.write(
  "tenant                      ledger              counter             difference\n",
);
for (const row of body.tenants) {
  process.stdout.write(
    `${row.tenantId.padEnd(28)}${usd(row.ledgerNanoUsd).padEnd(20)}${usd(row.counterNanoUsd).padEnd(20)}${usd(row.differenceNanoUsd)}\n`,
  );
}
process.stdout.write(`${body.differing} tenant(s) differ\n`);
process.exit(body.differing > 0 ? 1 : 0);
