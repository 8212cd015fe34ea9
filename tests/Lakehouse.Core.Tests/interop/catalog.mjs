// Talks to an Iceberg REST catalog with iceberg-js (an independent client) and prints what it saw as JSON.
// Usage: node catalog.mjs <baseUrl> <token|-> describe <namespace> <table>
//        node catalog.mjs <baseUrl> <token|-> commit-properties <namespace> <table> <count> <keyPrefix>
//   describe: the namespaces, the tables of every namespace, and the table's metadata location, location and current snapshot.
//   commit-properties: <count> commits, each setting one property under assert-ref-snapshot-id main = the loaded snapshot;
//   a 409 (another writer moved main) reloads and retries, so every property lands; prints how many 409s were seen.
// Snapshot ids go through JavaScript numbers: exact only below 2^53, which is why the lakehouse draws its ids there.
import { IcebergRestCatalog, IcebergError } from 'iceberg-js'

const [baseUrl, token, command, namespace, name, ...rest] = process.argv.slice(2)
const catalog = new IcebergRestCatalog({ baseUrl, auth: token === '-' ? { type: 'none' } : { type: 'bearer', token } })
const id = { namespace: [namespace], name }

if (command === 'describe') {
  const { namespaces } = await catalog.listNamespaces()
  const tables = {}
  for (const ns of namespaces) {
    const { identifiers } = await catalog.listTables(ns)
    tables[ns.namespace.join('.')] = identifiers.map(t => `${t.namespace.join('.')}.${t.name}`)
  }
  const loaded = await catalog.loadTableResult(id)
  const metadata = loaded.metadata
  const current = metadata.snapshots.find(s => s['snapshot-id'] === metadata['current-snapshot-id'])
  process.stdout.write(JSON.stringify({
    namespaces: namespaces.map(n => n.namespace.join('.')),
    tables,
    metadataLocation: loaded['metadata-location'],
    location: metadata.location,
    currentSnapshotId: String(metadata['current-snapshot-id']),
    totalRecords: current?.summary['total-records'] ?? null,
    summary: current?.summary ?? null,
    properties: metadata.properties,
  }))
} else if (command === 'commit-properties') {
  const [count, keyPrefix] = rest
  let conflicts = 0
  for (let i = 0; i < Number(count); i++) {
    for (;;) {
      const metadata = await catalog.loadTable(id)
      try {
        await catalog.updateTable(id, {
          requirements: [
            { type: 'assert-table-uuid', uuid: metadata['table-uuid'] },
            { type: 'assert-ref-snapshot-id', ref: 'main', 'snapshot-id': metadata['current-snapshot-id'] },
          ],
          updates: [{ action: 'set-properties', updates: { [`${keyPrefix}${i}`]: String(i) } }],
        })
        break
      } catch (error) {
        if (!(error instanceof IcebergError) || error.status !== 409 || error.icebergType !== 'CommitFailedException') throw error
        if (++conflicts > 100) throw new Error(`more than 100 conflicts: ${error.message}`)
      }
    }
  }
  process.stdout.write(JSON.stringify({ committed: Number(count), conflicts }))
} else {
  throw new Error(`unknown command ${command}`)
}
