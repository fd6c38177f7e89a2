// A dialog or drawer together with the record it is opened for (null: a new record).
import { ref, type Ref } from 'vue'

export function useDialogTarget<T>() {
  const visible = ref(false)
  const target = ref(null) as Ref<T | null>
  // The dialog fills its form from `target` when `visible` turns true.
  function open(record: T | null): void {
    target.value = record
    visible.value = true
  }
  return { visible, target, open }
}
