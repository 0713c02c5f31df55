// Device settings. Save sends only what changed; a problem is shown beside the field it is about.
import { useEffect, useRef, useState } from 'react'
import type { ReactNode } from 'react'
import type { AcceptPolicy, AppSettings, IncomingOffer } from '../../../preload/api.js'
import { sentence } from '../format/format.js'
import { fieldOfError, formFromSettings, savedStatus, settingsPatch } from '../settings/settings-form.js'
import type { SettingsErrors, SettingsForm } from '../settings/settings-form.js'
import { useUi } from '../store/context.js'
import { GroupsSettings } from './GroupsSettings.js'

const POLICIES: ReadonlyArray<readonly [AcceptPolicy, string, string]> = [
  ['ask', 'Ask me', 'Every offer waits in Incoming until you accept or decline it.'],
  ['trusted', 'Trusted machines', 'Offers from machines you trust are accepted at once; others wait for you.'],
  ['all', 'Everyone', 'Every offer on this network is accepted at once. Only for machines that serve nobody else.']
]

function FieldError ({ id, text }: { readonly id: string; readonly text: string | undefined }) {
  if (text === undefined) return null
  return <p className="field-error" id={id} role="alert">{text}</p>
}

function Field ({ label, hint, error, id, children }: { readonly label: string; readonly hint?: string; readonly error: string | undefined; readonly id: string; readonly children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint !== undefined && <p className="hint">{hint}</p>}
      <FieldError id={`${id}-error`} text={error} />
    </div>
  )
}

const NO_OFFERS: readonly IncomingOffer[] = []

/** The fields in the order they are on the form, each with what takes the focus when it is wrong. */
const FIELD_ORDER: ReadonlyArray<readonly [keyof AppSettings, string]> = [
  ['name', '#settings-name'],
  ['downloadsDir', '#settings-downloads-dir'],
  ['accept', 'input[name="accept"]:checked'],
  ['uploadLimit', '#settings-upload-limit'],
  ['downloadLimit', '#settings-download-limit'],
  ['startAtLogin', '[data-testid="settings-start-at-login"]'],
  ['startHidden', '[data-testid="settings-start-hidden"]']
]

function Form ({ settings: pushed, web }: { readonly settings: AppSettings; readonly web: boolean }) {
  const updateSettings = useUi(s => s.updateSettings)
  // What Save answered, until the next state pushed after it: the pushed one comes up to a second
  // later, and a change back made meanwhile read "Nothing changed." against the settings before.
  const [saved, setSaved] = useState<{ readonly over: AppSettings; readonly value: AppSettings } | null>(null)
  const settings = saved !== null && saved.over === pushed ? saved.value : pushed
  const offers = useUi(s => s.app?.offers ?? NO_OFFERS)
  const chooseFolder = useUi(s => s.chooseFolder)
  const [form, setForm] = useState<SettingsForm>(() => formFromSettings(settings))
  const [errors, setErrors] = useState<SettingsErrors>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [status, setStatus] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const [canChoose, setCanChoose] = useState(!web)
  const formRef = useRef<HTMLFormElement>(null)
  // What each Save that found a problem found (a new object each time): the focus then goes to the
  // first field it is about, once per Save, not while the person types.
  const [refused, setRefused] = useState<SettingsErrors | null>(null)
  useEffect(() => {
    if (refused === null) return
    const first = FIELD_ORDER.find(([key]) => refused[key] !== undefined)
    if (first !== undefined) formRef.current?.querySelector<HTMLElement>(first[1])?.focus()
  }, [refused])

  const edit = <K extends keyof SettingsForm>(key: K, value: SettingsForm[K]) => {
    setForm(f => ({ ...f, [key]: value }))
    setStatus(null)
  }

  const save = async () => {
    setFormError(null)
    const { patch, errors: found } = settingsPatch(settings, form)
    setErrors(found)
    if (Object.keys(found).length > 0) {
      setRefused(found)
      return
    }
    if (Object.keys(patch).length === 0) {
      setStatus('Nothing changed.')
      return
    }
    setSaving(true)
    const result = await updateSettings(patch)
    setSaving(false)
    if (result.ok) {
      setSaved({ over: pushed, value: result.value })
      setForm(formFromSettings(result.value))
      setStatus(savedStatus(settings, result.value, offers))
      return
    }
    const field = fieldOfError(result.error.message, result.error.code)
    if (field !== null && field in patch) {
      const serverErrors: SettingsErrors = { [field]: sentence(result.error.message) }
      setErrors(serverErrors)
      setRefused(serverErrors)
    } else setFormError(sentence(result.error.message))
  }

  const pick = async () => {
    const result = await chooseFolder()
    if (result.ok) {
      if (result.value !== null) edit('downloadsDir', result.value.path)
    } else if (result.error.code === 'unsupported') {
      setCanChoose(false)
    } else {
      setErrors(e => ({ ...e, downloadsDir: sentence(result.error.message) }))
    }
  }

  const desktopOnly = web ? ' (desktop app only)' : ''
  const described = (id: string, key: keyof AppSettings) => errors[key] !== undefined ? `${id}-error` : undefined

  return (
    <form
      ref={formRef}
      className="settings-form"
      data-testid="settings-form"
      onSubmit={e => {
        e.preventDefault()
        void save()
      }}
    >
      <Field label="Device name" id="settings-name" error={errors.name} hint="Other machines see this name next to this device's id fingerprint.">
        <input id="settings-name" data-testid="settings-name" type="text" value={form.name} aria-invalid={errors.name !== undefined} aria-describedby={described('settings-name', 'name')} onChange={e => edit('name', e.currentTarget.value)} />
      </Field>
      <Field label="Download folder" id="settings-downloads-dir" error={errors.downloadsDir} hint={canChoose ? undefined : 'A path on the machine running Swarmdrop.'}>
        <div className="field-row">
          <input id="settings-downloads-dir" data-testid="settings-downloads-dir" type="text" value={form.downloadsDir} aria-invalid={errors.downloadsDir !== undefined} aria-describedby={described('settings-downloads-dir', 'downloadsDir')} onChange={e => edit('downloadsDir', e.currentTarget.value)} />
          {canChoose && <button type="button" className="button" onClick={() => { void pick() }}>Choose…</button>}
        </div>
      </Field>
      <fieldset className="field">
        <legend>Accept offers from</legend>
        {POLICIES.map(([value, title, sentence]) => (
          <label key={value} className="choice">
            <input type="radio" name="accept" value={value} data-testid={`settings-accept-${value}`} checked={form.accept === value} onChange={() => edit('accept', value)} />
            <span><strong>{title}</strong> — {sentence}</span>
          </label>
        ))}
        <FieldError id="settings-accept-error" text={errors.accept} />
      </fieldset>
      <div className="field-pair">
        <Field label="Upload limit (MB/s)" id="settings-upload-limit" error={errors.uploadLimit} hint="0 means no limit.">
          <input id="settings-upload-limit" data-testid="settings-upload-limit" type="text" inputMode="decimal" value={form.uploadLimit} aria-invalid={errors.uploadLimit !== undefined} aria-describedby={described('settings-upload-limit', 'uploadLimit')} onChange={e => edit('uploadLimit', e.currentTarget.value)} />
        </Field>
        <Field label="Download limit (MB/s)" id="settings-download-limit" error={errors.downloadLimit} hint="0 means no limit.">
          <input id="settings-download-limit" data-testid="settings-download-limit" type="text" inputMode="decimal" value={form.downloadLimit} aria-invalid={errors.downloadLimit !== undefined} aria-describedby={described('settings-download-limit', 'downloadLimit')} onChange={e => edit('downloadLimit', e.currentTarget.value)} />
        </Field>
      </div>
      <label className="choice">
        <input type="checkbox" data-testid="settings-start-at-login" checked={form.startAtLogin} onChange={e => edit('startAtLogin', e.currentTarget.checked)} />
        <span>Start Swarmdrop when I log in{desktopOnly}</span>
      </label>
      <FieldError id="settings-start-at-login-error" text={errors.startAtLogin} />
      <label className="choice">
        <input type="checkbox" data-testid="settings-start-hidden" checked={form.startHidden} onChange={e => edit('startHidden', e.currentTarget.checked)} />
        <span>Start hidden in the tray{desktopOnly}</span>
      </label>
      <FieldError id="settings-start-hidden-error" text={errors.startHidden} />
      {formError !== null && <p className="field-error" role="alert">{formError}</p>}
      <div className="form-foot">
        <button type="submit" className="button button-primary" data-testid="settings-save" disabled={saving}>{saving ? 'Saving…' : 'Save'}</button>
        {status !== null && <span role="status" data-testid="settings-status">{status}</span>}
      </div>
    </form>
  )
}

export function SettingsView () {
  const app = useUi(s => s.app)
  return (
    <section className="view" aria-labelledby="settings-title">
      <h2 id="settings-title" tabIndex={-1} className="view-title">Settings</h2>
      {app === null
        ? <p>Settings appear once Swarmdrop is connected.</p>
        : (
          <>
            <Form settings={app.settings} web={app.shell === 'web'} />
            <GroupsSettings />
          </>
          )}
    </section>
  )
}
