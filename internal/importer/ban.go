package importer

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/repere-spie/repere/internal/directory"
)

// BAN geocodes with the API Adresse of the national address base: /search
// for one address, /search/csv for a batch.
type BAN struct {
	base   string
	client *http.Client
}

// NewBAN returns a geocoder for the API at base (https://api-adresse.data.gouv.fr).
func NewBAN(base string, client *http.Client) *BAN {
	if client == nil {
		client = &http.Client{Timeout: 60 * time.Second}
	}
	return &BAN{base: strings.TrimRight(base, "/"), client: client}
}

// minScore is the score below which an answer is more likely another place.
const minScore = 0.5

// precision is how precise a BAN result type is; "" for a commune, which the
// gazetteer gives as well.
func precision(resultType string) string {
	switch resultType {
	case "housenumber":
		return directory.PositionAddress
	case "street", "locality":
		return directory.PositionStreet
	}
	return ""
}

func (b *BAN) Geocode(ctx context.Context, qs []*GeoQuery) error {
	if len(qs) == 1 {
		return b.search(ctx, qs[0])
	}
	return b.batch(ctx, qs)
}

func (b *BAN) search(ctx context.Context, q *GeoQuery) error {
	v := url.Values{"q": {q.Address + " " + q.PostalCode + " " + q.CommuneName}, "limit": {"1"}}
	if q.CodeInsee != "" {
		v.Set("citycode", q.CodeInsee)
	} else if q.PostalCode != "" {
		v.Set("postcode", q.PostalCode)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.base+"/search/?"+v.Encode(), nil)
	if err != nil {
		return err
	}
	resp, err := b.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	var fc struct {
		Features []struct {
			Geometry struct {
				Coordinates []float64 `json:"coordinates"`
			} `json:"geometry"`
			Properties struct {
				Score float64 `json:"score"`
				Type  string  `json:"type"`
			} `json:"properties"`
		} `json:"features"`
	}
	body, err := readAll(resp.Body, 1<<20)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, &fc); err != nil {
		return fmt.Errorf("réponse illisible : %w", err)
	}
	if len(fc.Features) == 0 {
		return nil
	}
	f := fc.Features[0]
	if p := precision(f.Properties.Type); p != "" && f.Properties.Score >= minScore && len(f.Geometry.Coordinates) == 2 {
		q.Lon, q.Lat, q.Precision, q.Found = f.Geometry.Coordinates[0], f.Geometry.Coordinates[1], p, true
	}
	return nil
}

// batch sends the addresses as one CSV and reads the columns the API adds
// (longitude, latitude, result_score, result_type).
func (b *BAN) batch(ctx context.Context, qs []*GeoQuery) error {
	var data bytes.Buffer
	w := csv.NewWriter(&data)
	_ = w.Write([]string{"id", "adresse", "postcode", "citycode", "commune"})
	for i, q := range qs {
		_ = w.Write([]string{strconv.Itoa(i), q.Address, q.PostalCode, q.CodeInsee, q.CommuneName})
	}
	w.Flush()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, err := mw.CreateFormFile("data", "adresses.csv")
	if err != nil {
		return err
	}
	_, _ = part.Write(data.Bytes())
	for _, f := range [][2]string{{"columns", "adresse"}, {"columns", "commune"}, {"postcode", "postcode"}, {"citycode", "citycode"}} {
		_ = mw.WriteField(f[0], f[1])
	}
	if err := mw.Close(); err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.base+"/search/csv/", &body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := b.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	r := csv.NewReader(io.LimitReader(resp.Body, 64<<20))
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("réponse illisible : %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimPrefix(h, "\ufeff")] = i
	}
	for _, need := range []string{"id", "longitude", "latitude", "result_score", "result_type"} {
		if _, ok := col[need]; !ok {
			return fmt.Errorf("réponse sans colonne %s", need)
		}
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("réponse illisible : %w", err)
		}
		i, err := strconv.Atoi(rec[col["id"]])
		if err != nil || i < 0 || i >= len(qs) {
			continue
		}
		lon, err1 := strconv.ParseFloat(rec[col["longitude"]], 64)
		lat, err2 := strconv.ParseFloat(rec[col["latitude"]], 64)
		score, _ := strconv.ParseFloat(rec[col["result_score"]], 64)
		if p := precision(rec[col["result_type"]]); p != "" && err1 == nil && err2 == nil && score >= minScore {
			qs[i].Lon, qs[i].Lat, qs[i].Precision, qs[i].Found = lon, lat, p, true
		}
	}
}
