// Every method Node's parser accepts is forwarded, except CONNECT (a tunnel, not a request to the API).
import { METHODS } from 'node:http'

export const PROXIED_METHODS: readonly string[] = METHODS.filter((m) => m !== 'CONNECT')
