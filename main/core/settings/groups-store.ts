// Named groups of machines (`send --to @lab`), kept in groups.json in the data directory. Members
// are device ids, never names: anyone may call a machine "lab-01", only one key has its id. The
// list is bounded (groups, members per group), and writes are whole, atomic, owner-only and
// coalesced: edits made while a write runs go out together in the next one.
import { join } from 'node:path'
import { isGroupName, MAX_GROUP_MEMBERS, MAX_GROUPS } from '../../../common/commands.js'
import { errorMessage, fail, ok, type Result } from '../../../common/result.js'
import { isDeviceId } from '../identity/device-id.js'
import { isRecord, readJson, writeJson } from '../store/json-file.js'

export interface StoredGroup {
  readonly name: string
  readonly members: readonly string[]
  readonly createdAt: string
}

export const GROUPS_FILE = 'groups.json'

const key = (name: string): string => name.toLowerCase()

export class GroupsStore {
  /** By lower-case name: `Lab` and `lab` are one group, spelled as first created. */
  private readonly groups = new Map<string, StoredGroup>()
  private current: Promise<Result<void>> = Promise.resolve(ok(undefined))
  /** The write queued behind the current one, not yet started: later edits join it. */
  private queued: Promise<Result<void>> | undefined

  private constructor (private readonly path: string, groups: readonly StoredGroup[]) {
    for (const g of groups) this.groups.set(key(g.name), g)
  }

  static async load (dataDir: string): Promise<Result<GroupsStore>> {
    const path = join(dataDir, GROUPS_FILE)
    const stored = await readJson(path)
    if (!stored.ok) return stored
    const raw = stored.value ?? []
    if (!Array.isArray(raw)) return fail('corrupt', `${path} must hold a list`)
    if (raw.length > MAX_GROUPS) return fail('corrupt', `${path} holds ${raw.length} groups; at most ${MAX_GROUPS} are kept`)
    const groups: StoredGroup[] = []
    const seen = new Set<string>()
    for (const g of raw) {
      if (!isRecord(g) || !isGroupName(g.name) || !Array.isArray(g.members)) return fail('corrupt', `${path} lists an invalid group`)
      if (seen.has(key(g.name))) return fail('corrupt', `${path} lists the group ${g.name} twice`)
      seen.add(key(g.name))
      if (g.members.length > MAX_GROUP_MEMBERS) return fail('corrupt', `${path}: group ${g.name} holds more than ${MAX_GROUP_MEMBERS} machines`)
      if (!g.members.every(isDeviceId)) return fail('corrupt', `${path}: group ${g.name} lists an invalid device id`)
      groups.push({ name: g.name, members: [...new Set(g.members as string[])], createdAt: typeof g.createdAt === 'string' ? g.createdAt : '' })
    }
    return ok(new GroupsStore(path, groups))
  }

  /** Every group, by name. */
  list (): StoredGroup[] {
    return [...this.groups.values()].sort((a, b) => a.name.localeCompare(b.name))
  }

  /** The group of that name, whatever its case. */
  get (name: string): StoredGroup | undefined { return this.groups.get(key(name)) }

  /** Whether any group holds the device: it is a machine this device means to send to. */
  holds (id: string): boolean {
    for (const g of this.groups.values()) if (g.members.includes(id)) return true
    return false
  }

  /** Adds machines to a group, creating it when it does not exist. */
  async add (name: string, ids: readonly string[]): Promise<Result<StoredGroup>> {
    const existing = this.get(name)
    return this.put(name, [...(existing?.members ?? []), ...ids])
  }

  /** Makes the group hold exactly `ids`, creating it when it does not exist. */
  async set (name: string, ids: readonly string[]): Promise<Result<StoredGroup>> {
    return this.put(name, ids)
  }

  /** Removes machines from a group, or the group itself without ids; null when it is gone. */
  async remove (name: string, ids?: readonly string[]): Promise<Result<StoredGroup | null>> {
    const existing = this.get(name)
    if (!existing) return fail('not-found', `there is no group ${name}`)
    if (ids === undefined) {
      this.groups.delete(key(name))
      const saved = await this.save()
      return saved.ok ? ok(null) : saved
    }
    const absent = ids.filter(id => !existing.members.includes(id))
    if (absent.length === ids.length) return fail('not-found', `group ${existing.name} holds none of those machines`)
    const next: StoredGroup = { ...existing, members: existing.members.filter(id => !ids.includes(id)) }
    this.groups.set(key(name), next)
    const saved = await this.save()
    return saved.ok ? ok(next) : saved
  }

  /** Waits for every edit so far to be written. */
  async flush (): Promise<Result<void>> {
    return await (this.queued ?? this.current)
  }

  private async put (name: string, ids: readonly string[]): Promise<Result<StoredGroup>> {
    if (!isGroupName(name)) return fail('bad-request', `"${String(name).slice(0, 40)}" is not a group name (1 to 32 letters, digits, dots, dashes or underscores)`)
    const bad = ids.find(id => !isDeviceId(id))
    if (bad !== undefined) return fail('bad-id', `"${String(bad).slice(0, 40)}" is not a full device id (32 hex digits)`)
    const members = [...new Set(ids)]
    if (members.length > MAX_GROUP_MEMBERS) return fail('too-many', `a group holds at most ${MAX_GROUP_MEMBERS} machines`)
    const existing = this.get(name)
    if (!existing && this.groups.size >= MAX_GROUPS) return fail('too-many', `at most ${MAX_GROUPS} groups are kept; delete one first`)
    const group: StoredGroup = { name: existing?.name ?? name, members, createdAt: existing?.createdAt ?? new Date().toISOString() }
    this.groups.set(key(name), group)
    const saved = await this.save()
    return saved.ok ? ok(group) : saved
  }

  /**
   * Resolves once a write that includes every change made so far has finished. A write that has
   * not started yet takes this change too (it reads the groups when it starts).
   */
  private async save (): Promise<Result<void>> {
    if (this.queued) return await this.queued
    const next = this.current.then(async (): Promise<Result<void>> => {
      this.queued = undefined
      try {
        await writeJson(this.path, this.list())
        return ok(undefined)
      } catch (err) {
        return fail('write-failed', `cannot save ${this.path}: ${errorMessage(err)}`)
      }
    })
    this.queued = next
    this.current = next
    return await next
  }
}
