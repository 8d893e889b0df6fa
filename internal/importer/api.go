package importer

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// APIReader reads the data·inclusion API: /api/v1/structures then
// /api/v1/services, page by page (?page=&size=, answers
// {"items": […], "total", "page", "size", "pages"}), with a bearer token,
// optionally for one département (code_departement) and one source
// (sources).
type APIReader struct {
	BaseURL     string
	Token       string
	Departement string
	Source      string
	PageSize    int          // default 1000
	Client      *http.Client // default: 60 s timeout
	Now         func() time.Time
}

func (a *APIReader) Feed() Feed { return DataInclusionFeed }

func (a *APIReader) Describe() string {
	d := "API " + a.BaseURL
	if a.Departement != "" {
		d += ", département " + a.Departement
	}
	if a.Source != "" {
		d += ", source " + a.Source
	}
	return d
}

type apiPage struct {
	Items []json.RawMessage `json:"items"`
	Total int               `json:"total"`
	Page  int               `json:"page"`
	Pages int               `json:"pages"`
}

func (a *APIReader) Read(ctx context.Context, emit func(*Item) error) (Scope, error) {
	now := time.Now
	if a.Now != nil {
		now = a.Now
	}
	for _, kind := range []string{"structures", "services"} {
		dec := &recordDecoder{file: kind, structure: kind == "structures", now: now(), format: "v1"}
		n := 0
		for page := 1; ; page++ {
			p, err := a.page(ctx, kind, page)
			if err != nil {
				return Scope{}, err
			}
			for _, raw := range p.Items {
				n++
				if err := dec.decode("", n, raw, emit); err != nil {
					return Scope{}, err
				}
			}
			if len(p.Items) == 0 || (p.Pages > 0 && page >= p.Pages) {
				break
			}
		}
	}
	var s Scope
	if a.Source != "" {
		s.Sources = []string{a.Source}
	}
	if a.Departement != "" {
		s.Departements = []string{a.Departement}
	}
	return s, nil
}

func (a *APIReader) page(ctx context.Context, kind string, page int) (*apiPage, error) {
	size := a.PageSize
	if size <= 0 {
		size = 1000
	}
	q := url.Values{"page": {strconv.Itoa(page)}, "size": {strconv.Itoa(size)}}
	if a.Departement != "" {
		q.Set("code_departement", a.Departement)
	}
	if a.Source != "" {
		q.Set("sources", a.Source)
	}
	u := strings.TrimRight(a.BaseURL, "/") + "/api/v1/" + kind + "?" + q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	if a.Token != "" {
		req.Header.Set("Authorization", "Bearer "+a.Token)
	}
	req.Header.Set("Accept", "application/json")
	client := a.Client
	if client == nil {
		client = &http.Client{Timeout: 60 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("API data·inclusion injoignable : %w", err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return nil, fmt.Errorf("API data·inclusion : jeton refusé (HTTP %d)", resp.StatusCode)
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("API data·inclusion : %s page %d, HTTP %d", kind, page, resp.StatusCode)
	}
	b, err := readAll(resp.Body, 256<<20)
	if err != nil {
		return nil, fmt.Errorf("API data·inclusion : %s page %d : %w", kind, page, err)
	}
	var p apiPage
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("API data·inclusion : %s page %d illisible : %w", kind, page, err)
	}
	return &p, nil
}
