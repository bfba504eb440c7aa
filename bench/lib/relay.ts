import { createConnection, createServer, type Socket } from "node:net";

/** A TCP relay on loopback that counts what its clients send, to count round trips. */
export interface Relay {
  /** `127.0.0.1:port`, to put in a URL instead of the real server's address. */
  hostPort: string;
  /** Writes clients have sent so far: each is one request awaiting an answer. */
  writes(): number;
  /**
   * Of those, the writes inside Postgres transactions (from a simple-query `begin` to its
   * `commit` or `rollback`, on the same connection): Tollgate's batched usage writes. Redis: 0.
   */
  transactionWrites(): number;
  close(): Promise<void>;
}

/**
 * Relays every connection to `target` (host:port) and counts the client's writes. Redis and
 * Postgres clients send the commands of one turn in one write (node-redis and postgres.js both
 * batch what is issued in the same tick), so at one request at a time the count of writes is the
 * count of round trips.
 */
export async function startRelay(target: string): Promise<Relay> {
  const [host = "127.0.0.1", port = "0"] = target.split(":");
  let writes = 0;
  let inTransactions = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host, port: Number(port) });
    for (const s of [client, upstream]) {
      s.setNoDelay(true);
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    // A simple query ('Q') carries its SQL as text: enough to see where a transaction starts.
    let open = false;
    client.on("data", (data: Buffer) => {
      writes++;
      const query = data[0] === 0x51 ? data.subarray(5, 40).toString("latin1").toLowerCase() : "";
      if (query.startsWith("begin")) open = true;
      if (open) inTransactions++;
      if (query.startsWith("commit") || query.startsWith("rollback")) open = false;
      upstream.write(data);
    });
    upstream.pipe(client);
    client.on("end", () => upstream.end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const listening = typeof address === "object" && address ? address.port : 0;
  return {
    hostPort: `127.0.0.1:${listening}`,
    writes: () => writes,
    transactionWrites: () => inTransactions,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
