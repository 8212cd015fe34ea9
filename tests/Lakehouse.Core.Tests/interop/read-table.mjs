// Reads an Iceberg table with icebird and prints {"count": n, "rows": [...]} as JSON.
// icebird reads only through fetch: this fetch answers file:// URLs from disk, with HEAD and Range support.
// Usage: node read-table.mjs <tableUrl> <metadataFileName>
import { open, stat } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { icebergRead } from 'icebird'

globalThis.fetch = async (input, init = {}) => {
  const url = typeof input === 'string' ? input : input.url
  if (!url.startsWith('file://')) throw new Error(`unexpected url ${url}`)
  const path = fileURLToPath(url)
  let size
  try {
    size = (await stat(path)).size
  } catch {
    return new Response(null, { status: 404, statusText: 'Not Found' })
  }
  const headers = new Headers(init.headers ?? {})
  if ((init.method ?? 'GET') === 'HEAD') {
    return new Response(null, { status: 200, headers: { 'content-length': String(size) } })
  }
  let start = 0
  let end = size - 1
  const range = headers.get('range')
  if (range) {
    const m = /^bytes=(\d*)-(\d*)$/.exec(range)
    if (!m) throw new Error(`bad range ${range}`)
    if (m[1] === '') { start = Math.max(0, size - Number(m[2])) } else {
      start = Number(m[1])
      if (m[2] !== '') end = Math.min(end, Number(m[2]))
    }
  }
  const length = Math.max(0, end - start + 1)
  const buffer = Buffer.alloc(length)
  const file = await open(path, 'r')
  try {
    await file.read(buffer, 0, length, start)
  } finally {
    await file.close()
  }
  return new Response(buffer, {
    status: range ? 206 : 200,
    headers: { 'content-length': String(length), 'content-range': `bytes ${start}-${end}/${size}` },
  })
}

const [tableUrl, metadataFileName] = process.argv.slice(2)
const rows = await icebergRead({ tableUrl, metadataFileName })
const json = JSON.stringify({ count: rows.length, rows }, (key, value) => {
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex')
  return value
})
process.stdout.write(json)
