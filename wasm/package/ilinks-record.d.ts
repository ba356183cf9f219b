// Types for the <ilinks-record> custom element (wasm/ilinks-record.js).

/** One audit event as written (core/include/ilinks/audit.h AuditEvent). */
export interface IlinksAuditEvent {
  sequence: number;
  time: string;
  action: 'view' | 'refusal' | 'consent' | 'override' | 'case-access';
  user_id: string;
  user_name: string;
  profile: string;
  organisation: string;
  patient_nhs_number: string;
  basis: string;
  outcome: string;
  policy_version: string;
  hash: string;
  [member: string]: unknown;
}

/**
 * Service mode: one per View received. The sharing service wrote the audit event and keeps the trail;
 * this only tells the page that a View arrived, and on what basis. No clinical content.
 */
export interface IlinksServiceViewNotice {
  informational: true;
  recordedBy: 'sharing service';
  action: 'view';
  /** The View's basis, e.g. "consent-required", "consent", "override". */
  basis: string;
}

/** Service mode: asked for a context token for each request; "expired" after the service refused one as expired. */
export type IlinksTokenProvider = (reason: 'request' | 'expired', context: { nhsNumber: string }) => Promise<string> | string;

export type IlinksOptOutScope = 'whole-record' | 'segment' | 'setting' | 'label' | 'organisation' | 'entry';

export interface IlinksRecordEventMap extends HTMLElementEventMap {
  'ilinks-ready': CustomEvent<{ renderer: 'webgl2' | 'cpu' }>;
  /** The record could not be shown, or an action was refused; the message says why in words. */
  'ilinks-error': CustomEvent<{ message: string }>;
  /** Direct mode: each audit event as written (the page keeps it). Service mode: a notice per View. */
  'ilinks-audit': CustomEvent<IlinksAuditEvent | IlinksServiceViewNotice>;
  'ilinks-consent-required': CustomEvent<null>;
}

export class IlinksRecord extends HTMLElement {
  /** "empty" | "loading" | "ready" | "error" (also the data-state attribute). */
  readonly state: 'empty' | 'loading' | 'ready' | 'error';
  /** The renderer in use. */
  readonly renderer: 'webgl2' | 'cpu' | null;
  /** Bearer token for the fhir-base attribute (never an attribute). */
  accessToken: string;
  /**
   * Service mode (the `service` and `nhs-number` attributes): a first context token, used once (the service
   * accepts each token once), then emptied. Never an attribute.
   */
  contextToken: string;
  /** Service mode: gives a fresh context token for every request after contextToken. */
  tokenProvider: IlinksTokenProvider | null;
  /** Service mode: clears the screen and asks the service for the View again (the EPR's user or role changed). */
  refresh(): Promise<void>;
  /** Shows a record the page already holds (FHIR R4 JSON). */
  load(json: string | ArrayBuffer | Uint8Array, sourceName?: string): Promise<void>;
  /** load() under the name vendors look for first. */
  loadRecord(json: string | ArrayBuffer | Uint8Array, sourceName?: string): Promise<void>;
  /** Who is looking, in one call (sets the user-id ... relationship attributes). */
  setViewer(viewer: { userId: string; userName?: string; profile: string; organisation: string;
                      organisationName?: string; relationship?: boolean }): void;
  /**
   * The person consented: audited, then the record shows. Rejects with the reason. In service mode the
   * consent is recorded by the service for `scope` (default "user") and the View it answers is shown.
   */
  recordConsent(method?: 'verbal' | 'written', givenBy?: 'patient' | 'representative',
                scope?: 'user' | 'organisation' | 'team' | 'all-participants'): Promise<void>;
  /** An emergency override with a reason code from the policy and the user's own words. */
  override(reasonCode: string, text: string): Promise<void>;
  /** The person restricts sharing. Service mode: recorded by the service, then the View is asked for again. */
  recordOptOut(scope: IlinksOptOutScope, value?: string): Promise<void>;
  /** Service mode only: withdraws the consents that let this user in; the View answered is shown. */
  withdrawConsent(): Promise<void>;
  /**
   * Records why the user needs the wider community record of this person (Community tier 3: free text and
   * documents, shared case by case): a reason code from the policy ("extended-team", "case-review",
   * "complex-care", "other") and the user's own words (at least 10 characters). Audited ("case-access");
   * the Community tab then shows tier 3 for this user and person until the grant ends. Rejects with the
   * reason (also an ilinks-error) when the policy refuses, e.g. for a role whose level does not reach it.
   */
  recordCaseAccess(reasonCode: string, text: string): Promise<void>;
  /** Opens a tab of the record. */
  setTab(id: 'summary' | 'community' | 'diagnostics' | 'hospital' | 'timeline'): Promise<void>;
  /** What is on screen as text: what a screen reader gets. */
  mirrorText(): string;

  addEventListener<K extends keyof IlinksRecordEventMap>(type: K, listener: (this: IlinksRecord, ev: IlinksRecordEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'ilinks-record': IlinksRecord;
  }
}
