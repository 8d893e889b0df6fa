package indexer

import (
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/geo"
	"github.com/paulmach/orb"

	"github.com/repere-spie/repere/internal/directory"
)

// entry is a service reduced to what the index holds. Rebuilds keep entries,
// not services, in memory while they sort them.
type entry struct {
	id     string
	live   bool
	name   string
	text   string
	filter []string
	keys   []string
	place  *orb.Point // reception place of an on-site service
	card   []byte
	morton uint64 // Z-order of place, for bulk inserts
}

// newEntry reduces a service. A listed (published, not duplicate) service is live (a suspension is
// checked at search time, since it ends without any write); any other status
// keeps only its version, for reconciliation with the store.
func newEntry(s *directory.Service, st *directory.Structure) *entry {
	e := &entry{id: s.ID}
	if !s.Listed() {
		e.keys = []string{keyVersion + base36(s.Version)}
		return e
	}
	if st == nil {
		st = &directory.Structure{ID: s.StructureID}
	}
	e.live = true
	e.name = s.Name
	e.keys = serviceKeys(s, idHash(s.ID))

	var text strings.Builder
	text.WriteString(s.Name)
	text.WriteString("\n")
	text.WriteString(st.Name)
	for _, t := range s.Thematiques {
		text.WriteString("\n")
		if c := directory.CategoryOf(t); c != "" && c != t {
			text.WriteString(directory.ThematiqueCategories.Label(c))
			text.WriteString(" : ")
		}
		if directory.Thematiques.Has(t) {
			text.WriteString(directory.Thematiques.Label(t))
		} else {
			text.WriteString(directory.ThematiqueCategories.Label(t))
		}
	}
	text.WriteString("\n")
	text.WriteString(plainText(s.Description))
	e.text = text.String()

	communeCode, communeName := s.CodeInsee, s.CommuneName
	if communeCode == "" && communeName == "" {
		communeCode, communeName = st.CodeInsee, st.CommuneName
	}
	e.filter = append(e.filter, termLive)
	if s.Remote() {
		e.filter = append(e.filter, termRemote)
	}
	if s.StructureID != "" {
		e.filter = append(e.filter, structureTerm(s.StructureID))
	}
	zones := s.EligibilityZone
	if len(zones) == 0 && communeCode != "" {
		// No zone given: the service serves its own commune.
		zones = []directory.Zone{{Kind: directory.ZoneCommune, Code: communeCode}}
	}
	for _, z := range zones {
		e.filter = append(e.filter, zoneTerm(z.Key()))
	}
	if dep := directory.DepartementOfCommune(communeCode); dep != "" {
		e.filter = append(e.filter, departementTerm(dep))
	}
	announced, version := announcement(s)
	e.filter = append(e.filter, monthTerm(announced))

	if s.OnSite() {
		switch {
		case s.Latitude != nil && s.Longitude != nil:
			e.place = &orb.Point{*s.Longitude, *s.Latitude}
		case st.Latitude != nil && st.Longitude != nil && s.Address == "":
			// The service is received at its structure.
			e.place = &orb.Point{*st.Longitude, *st.Latitude}
		}
	}
	if e.place != nil {
		e.morton = geo.MortonHash(e.place[0], e.place[1])
		e.filter = append(e.filter, cellTerms(*e.place)...)
		e.keys = append(e.keys, placeTerm(*e.place))
	} else {
		e.morton = ^uint64(0)
	}

	c := card{
		Name:          s.Name,
		StructureID:   s.StructureID,
		StructureName: st.Name,
		CommuneName:   communeName,
		CommuneCode:   communeCode,
		Excerpt:       excerpt(s.Description),
		OpeningHours:  s.OpeningHours,
	}
	c.Published, c.AnnouncedVersion = announced.Unix(), version
	if s.PublishedAt != nil {
		c.Published = s.PublishedAt.Unix()
	}
	e.card = c.encode()
	return e
}

func structureTerm(id string) string     { return "s=" + id }
func zoneTerm(key string) string         { return "z=" + key }
func departementTerm(code string) string { return "d=" + code }

// monthTerm is the month of an announcement, "a=202603" (UTC): Latest reads
// the recent months first.
func monthTerm(t time.Time) string {
	t = t.UTC()
	return fmt.Sprintf("a=%04d%02d", t.Year(), int(t.Month()))
}

func idHash(id string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(id))
	return h.Sum32()
}

// analyzers are the analyzers the documents use, taken from the mapping.
type analyzers struct {
	text, words, keyword analysis.Analyzer
}

func (a *analyzers) document(e *entry) *document.Document {
	d := document.NewDocument(e.id)
	for i, k := range e.keys {
		d.AddField(document.NewTextFieldCustom(fieldKeys, []uint64{uint64(i)}, []byte(k), keysOptions, a.keyword))
	}
	if !e.live {
		return d
	}
	d.AddField(document.NewTextFieldCustom(fieldName, nil, []byte(e.name), textOptions, a.text))
	d.AddField(document.NewTextFieldCustom(fieldText, nil, []byte(e.text), textOptions, a.text))
	d.AddField(document.NewTextFieldCustom(fieldWords, nil, []byte(e.text), wordsOptions, a.words))
	for i, f := range e.filter {
		d.AddField(document.NewTextFieldCustom(fieldFilter, []uint64{uint64(i)}, []byte(f), keywordOptions, a.keyword))
	}
	d.AddField(document.NewTextFieldWithIndexingOptions(fieldCard, nil, e.card, cardOptions))
	return d
}
