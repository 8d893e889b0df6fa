// Package geo imports the French geography in the response shapes of
// geo.api.gouv.fr and answers lookups on it in memory: code, postal code and
// name resolution, autocomplete, point in commune and distances.
package geo

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The files of a snapshot folder. Each holds the response of one API request.
const (
	FileCommunes     = "communes.json"
	FileContours     = "communes-contours.geojson"
	FileDepartements = "departements.json"
	FileRegions      = "regions.json"
	FileEPCIs        = "epcis.json"
	// FileFormer lists the former communes (associées, déléguées) with
	// today's commune; a folder may lack it (no codes of former communes
	// are then known).
	FileFormer = "communes-associees-deleguees.json"
)

// DefaultAPI is the base URL of the live reference.
const DefaultAPI = "https://geo.api.gouv.fr"

// queries maps each snapshot file to the API request whose response it holds.
var queries = map[string]string{
	FileCommunes:     "/communes?fields=nom,code,codesPostaux,siren,codeEpci,codeDepartement,codeRegion,population,centre&format=json",
	FileContours:     "/communes?fields=nom,code,codesPostaux,siren,codeEpci,codeDepartement,codeRegion,population&format=geojson&geometry=contour",
	FileDepartements: "/departements?fields=nom,code,codeRegion",
	FileRegions:      "/regions?fields=nom,code",
	FileEPCIs:        "/epcis?fields=nom,code,codesDepartements,codesRegions,population",
	FileFormer:       "/communes_associees_deleguees?fields=nom,code,type,chefLieu&format=json",
}

// Source opens one of the reference files by its snapshot file name.
type Source interface {
	Open(ctx context.Context, file string) (io.ReadCloser, error)
}

// Dir is a snapshot folder holding the five files.
type Dir string

// Open opens file in the folder.
func (d Dir) Open(ctx context.Context, file string) (io.ReadCloser, error) {
	return os.Open(filepath.Join(string(d), file))
}

type apiSource struct {
	base   string
	client *http.Client
}

// API returns the live geo.api.gouv.fr (or a server answering the same
// requests) at baseURL; "" means DefaultAPI and a nil client a client with a
// generous timeout, the contours response being large.
func API(baseURL string, client *http.Client) Source {
	if baseURL == "" {
		baseURL = DefaultAPI
	}
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Minute}
	}
	return &apiSource{base: strings.TrimRight(baseURL, "/"), client: client}
}

func (a *apiSource) Open(ctx context.Context, file string) (io.ReadCloser, error) {
	q, ok := queries[file]
	if !ok {
		return nil, fmt.Errorf("no API request for %s", file)
	}
	url := a.base + q
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := a.client.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		if resp.StatusCode == http.StatusNotFound { // as a folder without the file
			return nil, fmt.Errorf("GET %s: %s: %w", url, resp.Status, fs.ErrNotExist)
		}
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return resp.Body, nil
}
