// The rule list, in report order. One file per rule; append new rules here (one line each).
import type { Rule } from '../rule.js'

export const rules: Rule[] = []
