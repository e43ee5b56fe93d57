import type { AttributeValue, Item } from '../types';
export function attributeSize(value: AttributeValue): number {
  throw new Error('not implemented ' + JSON.stringify(value));
}
export function itemSize(item: Item): number {
  throw new Error('not implemented ' + JSON.stringify(item));
}
