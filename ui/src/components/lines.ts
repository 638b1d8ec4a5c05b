/** One editable line of a receipt, count or transfer form (inputs stay text until sent). */
export interface EditableLine {
  key: number;
  sku: string;
  quantity: string | number;
  unitCost?: string;
}
