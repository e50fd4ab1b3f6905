// Refusals in words, not schema text: what each kind of validation issue
// says about its field ("must be 0 or more"), and the field's name as a
// person reads it ("Schedule, visit 2, week"), never a path such as
// schedule.visits.1.week. Installed as zod's error map by the contract, so
// every request answers this way on both transports.
import type { z } from 'zod';

type RawIssue = z.core.$ZodRawIssue;

const TYPE_WORDS: Readonly<Record<string, string>> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'yes or no',
  array: 'a list',
  object: 'a set of fields',
  tuple: 'a list',
  record: 'a set of fields',
};

const characters = (count: number) => `${count} character${count === 1 ? '' : 's'}`;
const entries = (count: number) => (count === 1 ? '1 entry' : `${count} entries`);

/** What an issue says about its field, as the end of a sentence that starts with the field's name. */
export function issueWords(issue: RawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is missing' : `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    case 'too_small': {
      const minimum = Number(issue.minimum);
      if (issue.origin === 'string') return minimum <= 1 ? 'must not be empty' : `must be at least ${characters(minimum)}`;
      if (issue.origin === 'array' || issue.origin === 'set') return `needs at least ${entries(minimum)}`;
      return issue.inclusive ? `must be ${minimum} or more` : `must be more than ${minimum}`;
    }
    case 'too_big': {
      const maximum = Number(issue.maximum);
      if (issue.origin === 'string') return `must be at most ${characters(maximum)}`;
      if (issue.origin === 'array' || issue.origin === 'set') return `may have at most ${entries(maximum)}`;
      return issue.inclusive ? `must be ${maximum} or less` : `must be less than ${maximum}`;
    }
    case 'invalid_value':
      return issue.values.length === 1 ? `must be ${JSON.stringify(issue.values[0])}` : `must be one of ${issue.values.map((value: unknown) => JSON.stringify(value)).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'regex' ? 'is not in the expected form' : `must be a valid ${issue.format}`;
    case 'unrecognized_keys':
      return `has ${issue.keys.length === 1 ? 'a field' : 'fields'} it does not know: ${issue.keys.join(', ')}`;
    case 'invalid_union':
      return 'is not any of the accepted forms';
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    default:
      return 'is not valid';
  }
}

/** A list's items by what they are: "visit 2", not "visits.1". */
const ITEM_NAMES: Readonly<Record<string, string>> = {
  visits: 'visit',
  regions: 'region rule',
  sequences: 'sequence rule',
  diameter: 'end',
  images: 'image',
  files: 'file',
};

const FIELD_NAMES: Readonly<Record<string, string>> = {
  id: 'identifier',
  longestDiameterMm: 'longest diameter',
  minimumSizeMm: 'smallest lesion counted',
  enlargingRelative: 'relative growth for enlarging',
  enlargingAbsoluteMm: 'growth in mm for enlarging',
  enlargingRule: 'enlarging rule',
  toleranceDays: 'visit window (days)',
  idleMinutes: 'idle limit (minutes)',
  inEndpoint: 'counted in the endpoint',
  ignorePattern: 'pattern of series to ignore',
  redcapMapping: 'REDCap mapping',
};

function words(key: string): string {
  return FIELD_NAMES[key] ?? key.replace(/Mm$/, ' (mm)').replace(/Id$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** The field an issue is about, as a person names it; "The request" for the payload as a whole. */
export function fieldName(path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  path.forEach((segment, index) => {
    if (typeof segment === 'number') {
      const list = path[index - 1];
      const item = typeof list === 'string' ? (ITEM_NAMES[list] ?? 'item') : 'item';
      if (typeof list === 'string' && ITEM_NAMES[list]) parts.pop();
      parts.push(`${item} ${segment + 1}`);
    } else parts.push(words(String(segment)));
  });
  const name = parts.join(', ') || 'the request';
  return name[0]!.toUpperCase() + name.slice(1);
}

/** One sentence per issue: the refinements of the contract already speak in sentences. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  return issue.code === 'custom' ? issue.message : `${fieldName(issue.path)}: ${issue.message}.`;
}
