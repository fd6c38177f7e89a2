// One answer loaded from the API with its loading flag and the error text to show in place.
import { ref, type Ref } from 'vue'
import { useErrorText } from './useErrors'

export function useFetched<T>(fetch: () => Promise<T>) {
  const { errorText } = useErrorText()
  const data = ref(null) as Ref<T | null>
  const loading = ref(false)
  const error = ref('')

  async function load(): Promise<void> {
    loading.value = true
    error.value = ''
    try {
      data.value = await fetch()
    } catch (e) {
      error.value = errorText(e)
    } finally {
      loading.value = false
    }
  }

  return { data, loading, error, load }
}
