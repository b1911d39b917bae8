// Pure helpers for names and labels of the objects a rollout creates beside the stable ones.

export const TRACK_LABEL = 'model-cicd.dev/track';
export const VERSION_LABEL = 'model-cicd.dev/version';
export const CANARY_OF_LABEL = 'model-cicd.dev/canary-of';
export const CANARY_SUFFIX = '-canary';

export type Track = 'stable' | 'canary';

/**
 * How canary pods relate to the stable Service.
 * - `shared-service` (replicas router): canary pods keep the stable labels, so the one Service selects both tracks.
 * - `separate-service` (weighted routers): every selector value gets `-canary`, so the stable Service and the stable
 *   Deployment never select canary pods; the `<service>-canary` Service does.
 */
export type PodLabelMode = 'shared-service' | 'separate-service';

export const canaryName = (name: string) => `${name}${CANARY_SUFFIX}`;

/** A Kubernetes name (DNS-1123 subdomain, 253 chars) with a suffix, cut so that the suffix survives. */
export function withSuffix(name: string, suffix: string, limit = 253): string {
  return `${name.slice(0, limit - suffix.length)}${suffix}`;
}

/** A label value (63 chars of [A-Za-z0-9._-], alphanumeric at both ends) made from any text, e.g. a version. */
export function toLabelValue(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return cleaned || 'unknown';
}

/** The canary counterpart of a selector label value (`checkout` -> `checkout-canary`), within the 63-char limit. */
export const canaryLabelValue = (value: string) => `${value.slice(0, 63 - CANARY_SUFFIX.length)}${CANARY_SUFFIX}`;

/** Canary pod labels from the stable pod labels, for the given mode; `selectorKeys` are the keys to suffix. */
export function canaryPodLabels(
  stableLabels: Record<string, string>,
  selectorKeys: Iterable<string>,
  mode: PodLabelMode,
  version: string,
): Record<string, string> {
  const labels = { ...stableLabels };
  if (mode === 'separate-service') {
    for (const key of selectorKeys) if (key in labels) labels[key] = canaryLabelValue(labels[key]);
  }
  labels[TRACK_LABEL] = 'canary';
  labels[VERSION_LABEL] = toLabelValue(version);
  return labels;
}

/** The selector of the canary Deployment (or Service) from the stable one. */
export function canarySelector(stableSelector: Record<string, string>, mode: PodLabelMode): Record<string, string> {
  const selector: Record<string, string> = {};
  for (const [key, value] of Object.entries(stableSelector)) {
    selector[key] = mode === 'separate-service' ? canaryLabelValue(value) : value;
  }
  selector[TRACK_LABEL] = 'canary';
  return selector;
}

/** `a=b,c=d` for list calls. */
export const toLabelSelector = (labels: Record<string, string>) =>
  Object.entries(labels).map(([key, value]) => `${key}=${value}`).join(',');
