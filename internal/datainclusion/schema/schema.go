// Package schema checks records against the data·inclusion v1 JSON Schemas
// of the reference folder: the checker of the tests of every package that
// writes v1 records (the demo export, the open-data API and files). It knows
// the part of JSON Schema those files use, and is tested to reject what
// they forbid.
package schema

import (
	"encoding/json"
	"fmt"
	"math"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Schema is the part of JSON Schema that the data·inclusion v1 files use.
type Schema struct {
	Ref         string             `json:"$ref"`
	Defs        map[string]*Schema `json:"$defs"`
	Type        string             `json:"type"`
	AnyOf       []*Schema          `json:"anyOf"`
	Enum        []string           `json:"enum"`
	Const       *string            `json:"const"`
	MinLength   *int               `json:"minLength"`
	MaxLength   *int               `json:"maxLength"`
	Pattern     string             `json:"pattern"`
	Format      string             `json:"format"`
	Minimum     *float64           `json:"minimum"`
	Items       *Schema            `json:"items"`
	MinItems    *int               `json:"minItems"`
	UniqueItems bool               `json:"uniqueItems"`
	Properties  map[string]*Schema `json:"properties"`
	Required    []string           `json:"required"`
}

// Load reads one of the v1 schemas ("service.json", "structure.json") of
// the reference folder shared/reference.
func Load(shared, name string) (*Schema, error) {
	b, err := os.ReadFile(filepath.Join(shared, "reference", "data-inclusion-schema", "v1", name))
	if err != nil {
		return nil, err
	}
	var s Schema
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &s, nil
}

// check returns why v does not match s, or "" when it does. root resolves
// $ref to #/$defs.
func (s *Schema) check(root *Schema, v any) string {
	if s.Ref != "" {
		def := root.Defs[strings.TrimPrefix(s.Ref, "#/$defs/")]
		if def == nil {
			return "unknown $ref " + s.Ref
		}
		return def.check(root, v)
	}
	if len(s.AnyOf) > 0 {
		var why []string
		for _, alt := range s.AnyOf {
			msg := alt.check(root, v)
			if msg == "" {
				return ""
			}
			why = append(why, msg)
		}
		return "matches no alternative: " + strings.Join(why, "; ")
	}
	switch s.Type {
	case "null":
		if v != nil {
			return "not null"
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			return fmt.Sprintf("%v is not a string", v)
		}
		return s.checkString(str)
	case "number", "integer":
		n, ok := v.(float64)
		if !ok {
			return fmt.Sprintf("%v is not a number", v)
		}
		if s.Type == "integer" && n != math.Trunc(n) {
			return fmt.Sprintf("%v is not an integer", n)
		}
		if s.Minimum != nil && n < *s.Minimum {
			return fmt.Sprintf("%v is below %v", n, *s.Minimum)
		}
	case "array":
		list, ok := v.([]any)
		if !ok {
			return fmt.Sprintf("%v is not an array", v)
		}
		if s.MinItems != nil && len(list) < *s.MinItems {
			return fmt.Sprintf("fewer than %d items", *s.MinItems)
		}
		for i, item := range list {
			if s.UniqueItems && slices.Contains(list[:i], item) {
				return fmt.Sprintf("%v appears twice", item)
			}
			if s.Items != nil {
				if msg := s.Items.check(root, item); msg != "" {
					return fmt.Sprintf("item %d: %s", i, msg)
				}
			}
		}
	default:
		return "unsupported schema type " + s.Type
	}
	return ""
}

func (s *Schema) checkString(v string) string {
	n := utf8.RuneCountInString(v)
	switch {
	case s.Const != nil && v != *s.Const:
		return fmt.Sprintf("%q is not %q", v, *s.Const)
	case len(s.Enum) > 0 && !slices.Contains(s.Enum, v):
		return fmt.Sprintf("%q is not in the enum", v)
	case s.MinLength != nil && n < *s.MinLength:
		return fmt.Sprintf("%q is shorter than %d", v, *s.MinLength)
	case s.MaxLength != nil && n > *s.MaxLength:
		return fmt.Sprintf("%q is longer than %d", v, *s.MaxLength)
	case s.Pattern != "" && !regexp.MustCompile(s.Pattern).MatchString(v):
		return fmt.Sprintf("%q does not match %s", v, s.Pattern)
	}
	switch s.Format {
	case "date":
		if _, err := time.Parse("2006-01-02", v); err != nil {
			return fmt.Sprintf("%q is not a date", v)
		}
	case "email":
		if a, err := mail.ParseAddress(v); err != nil || a.Address != v {
			return fmt.Sprintf("%q is not an e-mail address", v)
		}
	case "uri":
		if u, err := url.Parse(v); err != nil || !u.IsAbs() || u.Host == "" {
			return fmt.Sprintf("%q is not an absolute URI", v)
		}
	}
	return ""
}

// CheckObject checks a record: exactly the schema's properties, the required
// ones not null, each value valid.
func (s *Schema) CheckObject(rec map[string]any) []string {
	var errs []string
	for name := range rec {
		if s.Properties[name] == nil {
			errs = append(errs, "unknown field "+name)
		}
	}
	for name, prop := range s.Properties {
		v, ok := rec[name]
		if !ok {
			errs = append(errs, "missing field "+name)
			continue
		}
		if v == nil && slices.Contains(s.Required, name) {
			errs = append(errs, "required field "+name+" is null")
			continue
		}
		if msg := prop.check(s, v); msg != "" {
			errs = append(errs, name+": "+msg)
		}
	}
	slices.Sort(errs)
	return errs
}
