import { PbfReader, PbfWriter } from 'pbf';

// Field numbers of TensorFlow's event.proto / summary.proto / tensor.proto (what TensorBoard reads)
const EVENT = { wallTime: 1, step: 2, fileVersion: 3, summary: 5 } as const;
const SUMMARY = { value: 1 } as const;
const VALUE = { tag: 1, simpleValue: 2, tensor: 8, metadata: 9 } as const;
const METADATA = { pluginData: 1, dataClass: 4 } as const;
const PLUGIN_DATA = { pluginName: 1 } as const;
const TENSOR = { dtype: 1, shape: 2, stringVal: 8 } as const;
const DT_STRING = 7;
const DATA_CLASS_TENSOR = 2;

/** The `file_version` of the first record of every event file. */
export const EVENT_FILE_VERSION = 'brain.Event:2';

/** A scalar (`simple_value`, a float32) or a text summary (TensorBoard's text plugin, markdown). */
export type SummaryValue = { tag: string; value: number } | { tag: string; text: string };

/** One `Event` record: the version header, or summaries at a step. */
export interface EventRecord {
  /** seconds since the epoch */
  wallTime: number;
  step: number;
  fileVersion?: string;
  values?: readonly SummaryValue[];
}

const utf8 = new TextEncoder();

function writeValue(v: SummaryValue, pbf: PbfWriter): void {
  pbf.writeStringField(VALUE.tag, v.tag);
  if ('value' in v) {
    pbf.writeFloatField(VALUE.simpleValue, v.value);
    return;
  }
  // a scalar string tensor tagged for the text plugin, as tf.summary.text writes it
  pbf.writeMessage(
    VALUE.metadata,
    (_: unknown, p: PbfWriter) => {
      p.writeMessage(METADATA.pluginData, (_x: unknown, q: PbfWriter) => q.writeStringField(PLUGIN_DATA.pluginName, 'text'), undefined);
      p.writeVarintField(METADATA.dataClass, DATA_CLASS_TENSOR);
    },
    undefined,
  );
  pbf.writeMessage(
    VALUE.tensor,
    (_: unknown, p: PbfWriter) => {
      p.writeVarintField(TENSOR.dtype, DT_STRING);
      p.writeMessage(TENSOR.shape, () => undefined, undefined); // shape []: a scalar
      p.writeBytesField(TENSOR.stringVal, utf8.encode(v.text));
    },
    undefined,
  );
}

/** The protobuf bytes of an `Event`. */
export function encodeEvent(event: EventRecord): Uint8Array {
  const pbf = new PbfWriter();
  pbf.writeDoubleField(EVENT.wallTime, event.wallTime);
  if (event.step !== 0) pbf.writeVarintField(EVENT.step, event.step);
  if (event.fileVersion !== undefined) pbf.writeStringField(EVENT.fileVersion, event.fileVersion);
  if (event.values && event.values.length > 0) {
    pbf.writeMessage(
      EVENT.summary,
      (values: readonly SummaryValue[], p: PbfWriter) => {
        for (const v of values) p.writeMessage(SUMMARY.value, writeValue, v);
      },
      event.values,
    );
  }
  return pbf.finish();
}

/** Of an `Event`'s bytes, only what appending needs: its step and its summaries' tags. */
export function eventStepAndTags(data: Uint8Array): { step: number; tags: string[] } {
  const out = { step: 0, tags: [] as string[] };
  new PbfReader(data).readFields(
    (tag: number, o: typeof out, pbf: PbfReader) => {
      if (tag === EVENT.step) o.step = pbf.readVarint(true);
      else if (tag === EVENT.summary) {
        pbf.readMessage(
          (t: number, _: unknown, p: PbfReader) => {
            if (t !== SUMMARY.value) return;
            p.readMessage(
              (vt: number, _v: unknown, q: PbfReader) => {
                if (vt === VALUE.tag) o.tags.push(q.readString());
              },
              undefined,
            );
          },
          undefined,
        );
      }
    },
    out,
  );
  return out;
}
