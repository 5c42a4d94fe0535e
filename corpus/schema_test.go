package corpus

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"sort"
	"strings"
)

// checkSchema validates a decoded JSON value against the subset of JSON
// Schema that truth.schema.json uses: type, enum, required, properties,
// additionalProperties (false or a schema), items, minItems, minimum,
// maximum, pattern and local $ref. It returns every violation.
func checkSchema(schemaJSON []byte, doc any) ([]string, error) {
	var root map[string]any
	if err := json.Unmarshal(schemaJSON, &root); err != nil {
		return nil, fmt.Errorf("parse schema: %w", err)
	}
	var errs []string
	var walk func(s map[string]any, v any, path string)
	walk = func(s map[string]any, v any, path string) {
		if ref, ok := s["$ref"].(string); ok {
			name := strings.TrimPrefix(ref, "#/$defs/")
			def, ok := root["$defs"].(map[string]any)[name].(map[string]any)
			if !ok {
				errs = append(errs, path+": unresolved $ref "+ref)
				return
			}
			walk(def, v, path)
			return
		}
		if enum, ok := s["enum"].([]any); ok {
			found := false
			for _, e := range enum {
				if reflect.DeepEqual(e, v) {
					found = true
				}
			}
			if !found {
				errs = append(errs, fmt.Sprintf("%s: %v not in enum", path, v))
			}
		}
		switch t, _ := s["type"].(string); t {
		case "object":
			obj, ok := v.(map[string]any)
			if !ok {
				errs = append(errs, path+": not an object")
				return
			}
			for _, r := range asSlice(s["required"]) {
				if _, ok := obj[r.(string)]; !ok {
					errs = append(errs, path+": missing "+r.(string))
				}
			}
			props, _ := s["properties"].(map[string]any)
			keys := make([]string, 0, len(obj))
			for k := range obj {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				if ps, ok := props[k].(map[string]any); ok {
					walk(ps, obj[k], path+"."+k)
					continue
				}
				switch ap := s["additionalProperties"].(type) {
				case bool:
					if !ap {
						errs = append(errs, path+": unexpected property "+k)
					}
				case map[string]any:
					walk(ap, obj[k], path+"."+k)
				}
			}
		case "array":
			arr, ok := v.([]any)
			if !ok {
				errs = append(errs, path+": not an array")
				return
			}
			if m, ok := s["minItems"].(float64); ok && float64(len(arr)) < m {
				errs = append(errs, fmt.Sprintf("%s: %d items, want at least %v", path, len(arr), m))
			}
			if is, ok := s["items"].(map[string]any); ok {
				for i, e := range arr {
					walk(is, e, fmt.Sprintf("%s[%d]", path, i))
				}
			}
		case "string":
			str, ok := v.(string)
			if !ok {
				errs = append(errs, path+": not a string")
				return
			}
			if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(str) {
				errs = append(errs, fmt.Sprintf("%s: %q does not match %s", path, str, p))
			}
		case "integer", "number":
			n, ok := v.(float64)
			if !ok || (t == "integer" && n != math.Trunc(n)) {
				errs = append(errs, fmt.Sprintf("%s: %v is not a %s", path, v, t))
				return
			}
			if m, ok := s["minimum"].(float64); ok && n < m {
				errs = append(errs, fmt.Sprintf("%s: %v below %v", path, n, m))
			}
			if m, ok := s["maximum"].(float64); ok && n > m {
				errs = append(errs, fmt.Sprintf("%s: %v above %v", path, n, m))
			}
		case "boolean":
			if _, ok := v.(bool); !ok {
				errs = append(errs, path+": not a boolean")
			}
		}
	}
	walk(root, doc, "$")
	return errs, nil
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}
