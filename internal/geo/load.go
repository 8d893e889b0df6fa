package geo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/paulmach/orb"

	"github.com/repere-spie/repere/internal/directory"
)

// LoadError names the file and, when known, the record (its index in the
// top-level array or in "features") and code where a load failed.
type LoadError struct {
	File   string
	Record int // -1 when the error is not about one record
	Code   string
	Err    error
}

func (e *LoadError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Record >= 0 {
		fmt.Fprintf(&b, ": record %d", e.Record)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, " (code %s)", e.Code)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *LoadError) Unwrap() error { return e.Err }

type regionRecord struct {
	Nom  string `json:"nom"`
	Code string `json:"code"`
}

type departementRecord struct {
	Nom        string `json:"nom"`
	Code       string `json:"code"`
	CodeRegion string `json:"codeRegion"`
}

type epciRecord struct {
	Nom               string   `json:"nom"`
	Code              string   `json:"code"`
	CodesDepartements []string `json:"codesDepartements"`
	CodesRegions      []string `json:"codesRegions"`
	Population        int      `json:"population"`
}

type communeRecord struct {
	Nom             string   `json:"nom"`
	Code            string   `json:"code"`
	CodesPostaux    []string `json:"codesPostaux"`
	Siren           string   `json:"siren"`
	CodeEpci        string   `json:"codeEpci"`
	CodeDepartement string   `json:"codeDepartement"`
	CodeRegion      string   `json:"codeRegion"`
	Population      int      `json:"population"`
	Centre          *struct {
		Type        string    `json:"type"`
		Coordinates []float64 `json:"coordinates"`
	} `json:"centre"`
}

type featureRecord struct {
	Type       string `json:"type"`
	Properties struct {
		Code string `json:"code"`
	} `json:"properties"`
	Geometry *struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
}

func (r *regionRecord) ident() string      { return r.Code }
func (r *departementRecord) ident() string { return r.Code }
func (r *epciRecord) ident() string        { return r.Code }
func (r *communeRecord) ident() string     { return r.Code }
func (r *featureRecord) ident() string     { return r.Properties.Code }
func (r *formerRecord) ident() string      { return r.Code }

type formerRecord struct {
	Nom      string `json:"nom"`
	Code     string `json:"code"`
	ChefLieu string `json:"chefLieu"`
}

// Load reads and validates the whole reference from src. Nothing is returned
// unless every file is complete and consistent, so a bad source never
// replaces a good geography.
func Load(ctx context.Context, src Source) (*directory.Geography, error) {
	g := &directory.Geography{}
	regions := map[string]bool{}
	err := readArray(ctx, src, FileRegions, func(r *regionRecord) error {
		if !validRegionCode(r.Code) {
			return errors.New("invalid région code")
		} else if r.Nom == "" {
			return errors.New("missing nom")
		} else if regions[r.Code] {
			return errors.New("duplicate code")
		}
		regions[r.Code] = true
		g.Regions = append(g.Regions, directory.Region{Code: r.Code, Name: r.Nom})
		return nil
	})
	if err != nil {
		return nil, err
	}

	deps := map[string]string{} // code -> région
	err = readArray(ctx, src, FileDepartements, func(r *departementRecord) error {
		if !validDepartementCode(r.Code) {
			return errors.New("invalid département code")
		} else if r.Nom == "" {
			return errors.New("missing nom")
		} else if !regions[r.CodeRegion] {
			return fmt.Errorf("unknown codeRegion %q", r.CodeRegion)
		} else if _, dup := deps[r.Code]; dup {
			return errors.New("duplicate code")
		}
		deps[r.Code] = r.CodeRegion
		g.Departements = append(g.Departements, directory.Departement{Code: r.Code, Name: r.Nom, Region: r.CodeRegion})
		return nil
	})
	if err != nil {
		return nil, err
	}

	epcis := map[string]bool{}
	err = readArray(ctx, src, FileEPCIs, func(r *epciRecord) error {
		if !digits(r.Code, 9) {
			return errors.New("invalid SIREN code")
		} else if r.Nom == "" {
			return errors.New("missing nom")
		} else if r.Population < 0 {
			return errors.New("negative population")
		} else if epcis[r.Code] {
			return errors.New("duplicate code")
		}
		for _, d := range r.CodesDepartements {
			if _, ok := deps[d]; !ok {
				return fmt.Errorf("unknown département %q", d)
			}
		}
		for _, reg := range r.CodesRegions {
			if !regions[reg] {
				return fmt.Errorf("unknown région %q", reg)
			}
		}
		epcis[r.Code] = true
		g.EPCIs = append(g.EPCIs, directory.EPCI{Code: r.Code, Name: r.Nom, Departements: r.CodesDepartements,
			Regions: r.CodesRegions, Population: r.Population})
		return nil
	})
	if err != nil {
		return nil, err
	}

	index := map[string]int{} // commune code -> position in g.Communes
	err = readArray(ctx, src, FileCommunes, func(r *communeRecord) error {
		if !validCommuneCode(r.Code) {
			return errors.New("invalid INSEE code")
		} else if r.Nom == "" {
			return errors.New("missing nom")
		} else if r.Siren != "" && !digits(r.Siren, 9) {
			return fmt.Errorf("invalid siren %q", r.Siren)
		} else if r.Population < 0 {
			return errors.New("negative population")
		} else if r.CodeEpci != "" && !epcis[r.CodeEpci] {
			return fmt.Errorf("unknown codeEpci %q", r.CodeEpci)
		} else if reg, ok := deps[r.CodeDepartement]; !ok {
			return fmt.Errorf("unknown codeDepartement %q", r.CodeDepartement)
		} else if !strings.HasPrefix(r.Code, r.CodeDepartement) {
			return fmt.Errorf("code outside its département %q", r.CodeDepartement)
		} else if reg != r.CodeRegion {
			return fmt.Errorf("codeRegion %q differs from its département's %q", r.CodeRegion, reg)
		} else if _, dup := index[r.Code]; dup {
			return errors.New("duplicate code")
		}
		for _, p := range r.CodesPostaux {
			if !digits(p, 5) {
				return fmt.Errorf("invalid postal code %q", p)
			}
		}
		c := directory.Commune{Code: r.Code, Name: r.Nom, PostalCodes: r.CodesPostaux, SIREN: r.Siren,
			EPCI: r.CodeEpci, Departement: r.CodeDepartement, Region: r.CodeRegion, Population: r.Population}
		if r.Centre != nil {
			if r.Centre.Type != "Point" || len(r.Centre.Coordinates) != 2 {
				return errors.New("centre is not a GeoJSON Point")
			}
			p := orb.Point{r.Centre.Coordinates[0], r.Centre.Coordinates[1]}
			if !inRange(p) {
				return fmt.Errorf("centre %v out of range", p)
			}
			c.Center = &p
		}
		index[r.Code] = len(g.Communes)
		g.Communes = append(g.Communes, c)
		return nil
	})
	if err != nil {
		return nil, err
	}

	var slab pointSlab
	err = readFeatures(ctx, src, FileContours, func(r *featureRecord) error {
		i, ok := index[r.Properties.Code]
		if r.Type != "Feature" {
			return errors.New("not a GeoJSON Feature")
		} else if !ok {
			return errors.New("unknown commune")
		} else if g.Communes[i].Contour != nil {
			return errors.New("duplicate contour")
		} else if r.Geometry == nil {
			return nil // the API may list a commune without a contour
		}
		geom, err := parseGeometry(r.Geometry.Type, r.Geometry.Coordinates, &slab)
		if err != nil {
			return err
		}
		g.Communes[i].Contour = geom
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readArray(ctx, src, FileFormer, func(r *formerRecord) error {
		if !validCommuneCode(r.Code) {
			return errors.New("invalid INSEE code")
		} else if _, ok := index[r.ChefLieu]; !ok {
			return fmt.Errorf("unknown chefLieu %q", r.ChefLieu)
		} else if _, current := index[r.Code]; !current {
			// A commune déléguée often keeps the code of the new commune.
			g.Former = append(g.Former, directory.FormerCommune{Code: r.Code, Name: r.Nom, Commune: r.ChefLieu})
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return g, nil
}

// readArray decodes the file's top-level array one record at a time.
func readArray[T any](ctx context.Context, src Source, file string, each func(*T) error) error {
	rc, err := src.Open(ctx, file)
	if err != nil {
		return &LoadError{File: file, Record: -1, Err: err}
	}
	defer rc.Close()
	dec := json.NewDecoder(rc)
	if err := expectDelim(dec, '['); err != nil {
		return &LoadError{File: file, Record: -1, Err: err}
	}
	if err := readRecords(ctx, dec, file, each); err != nil {
		return err
	}
	return expectEOF(dec, file)
}

// readFeatures decodes the features of a GeoJSON FeatureCollection one at a time.
func readFeatures(ctx context.Context, src Source, file string, each func(*featureRecord) error) error {
	rc, err := src.Open(ctx, file)
	if err != nil {
		return &LoadError{File: file, Record: -1, Err: err}
	}
	defer rc.Close()
	dec := json.NewDecoder(rc)
	fail := func(err error) error { return &LoadError{File: file, Record: -1, Err: err} }
	if err := expectDelim(dec, '{'); err != nil {
		return fail(err)
	}
	var typ string
	features := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fail(unexpectedEOF(err))
		}
		switch tok {
		case "type":
			err = dec.Decode(&typ)
		case "features":
			if err := expectDelim(dec, '['); err != nil {
				return fail(err)
			}
			if err := readRecords(ctx, dec, file, each); err != nil {
				return err
			}
			features = true
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if err != nil {
			return fail(unexpectedEOF(err))
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return fail(err)
	}
	if typ != "FeatureCollection" || !features {
		return fail(errors.New("not a GeoJSON FeatureCollection"))
	}
	return expectEOF(dec, file)
}

// readRecords decodes array elements up to and including the closing bracket.
func readRecords[T any](ctx context.Context, dec *json.Decoder, file string, each func(*T) error) error {
	i := 0
	for ; dec.More(); i++ {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		var rec T
		err := dec.Decode(&rec)
		if err != nil {
			err = unexpectedEOF(err)
		} else {
			err = each(&rec)
		}
		if err != nil {
			code := ""
			if r, ok := any(&rec).(interface{ ident() string }); ok {
				code = r.ident()
			}
			return &LoadError{File: file, Record: i, Code: code, Err: err}
		}
	}
	if err := expectDelim(dec, ']'); err != nil {
		return &LoadError{File: file, Record: -1, Err: fmt.Errorf("after %d records: %w", i, err)}
	}
	return nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return unexpectedEOF(err)
	}
	if tok != want {
		return fmt.Errorf("expected %q, found %v", want, tok)
	}
	return nil
}

func expectEOF(dec *json.Decoder, file string) error {
	if _, err := dec.Token(); err != io.EOF {
		return &LoadError{File: file, Record: -1, Err: errors.New("unexpected data after the end")}
	}
	return nil
}

// unexpectedEOF reports io.EOF inside a value as the truncation it is.
func unexpectedEOF(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("unexpected end of file (truncated?)")
	}
	return err
}

func digits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func validRegionCode(s string) bool { return digits(s, 2) || digits(s, 3) }

func validDepartementCode(s string) bool {
	return digits(s, 2) || s == "2A" || s == "2B" || digits(s, 3) && (s[:2] == "97" || s[:2] == "98")
}

func validCommuneCode(s string) bool {
	return digits(s, 5) || len(s) == 5 && (s[:2] == "2A" || s[:2] == "2B") && digits(s[2:], 3)
}

func inRange(p orb.Point) bool {
	return p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90
}
