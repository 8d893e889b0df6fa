package ui_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
)

// generated is a synthetic directory for size tests and benchmarks: every
// vocabulary value in use, long names and descriptions, services spread over
// France by population. It serves as an indexer.Source without a store.
type generated struct {
	structures map[string]*directory.Structure
	services   []*directory.Service
}

func (g *generated) EachService(ctx context.Context, fn func(*directory.Service) error) error {
	for _, s := range g.services {
		if err := fn(s); err != nil {
			return err
		}
	}
	return nil
}

func (g *generated) Structure(_ context.Context, id string) (*directory.Structure, error) {
	if st, ok := g.structures[id]; ok {
		return st, nil
	}
	return nil, directory.Errorf(directory.ENOTFOUND, "structure %s", id)
}

var (
	genWords = strings.Fields(`accompagnement atelier permanence aide solidaire parcours insertion emploi
		mobilité logement santé numérique familles jeunes conseil orientation accueil écoute formation
		budget permis véhicule crèche garde droits démarches remobilisation bénévolat projet`)
	genHours = []string{"Mo-Fr 09:00-12:00,14:00-17:00", "Mo,We,Fr 09:00-12:30", "Tu-Sa 10:00-18:00", "Mo-Th 08:30-12:00,13:30-17:30; Fr 08:30-12:00", ""}
)

// generate builds n services near communes picked by population (only
// communes of deps when given). It is deterministic for a seed.
func generate(gaz *geo.Gazetteer, n int, seed uint64, deps ...string) *generated {
	r := rand.New(rand.NewPCG(seed, 1))
	if len(deps) == 0 {
		for _, d := range gaz.Departements() {
			deps = append(deps, d.Code)
		}
	}
	var communes []*directory.Commune
	var cum []int
	total := 0
	for _, d := range deps {
		for _, c := range gaz.CommunesOf(d) {
			if c.Center == nil {
				continue
			}
			total += c.Population + 50
			communes = append(communes, c)
			cum = append(cum, total)
		}
	}
	pick := func() *directory.Commune {
		x := r.IntN(total)
		return communes[sort.SearchInts(cum, x+1)]
	}
	words := func(k int) string {
		w := make([]string, k)
		for i := range w {
			w[i] = genWords[r.IntN(len(genWords))]
		}
		return strings.Join(w, " ")
	}
	some := func(v *directory.Vocabulary, max int) []string {
		terms := v.Terms()
		out := []string{}
		for range 1 + r.IntN(max) {
			t := terms[r.IntN(len(terms))].Value
			if !contains(out, t) {
				out = append(out, t)
			}
		}
		return out
	}
	now := time.Now()
	g := &generated{structures: map[string]*directory.Structure{}}
	var st *directory.Structure
	for i := range n {
		c := pick()
		if i%5 == 0 || st == nil {
			st = &directory.Structure{
				ID: fmt.Sprintf("gst%013d", i), Name: "Association " + words(3) + " de " + c.Name,
				CodeInsee: c.Code, CommuneName: c.Name, PostalCode: c.PostalCodes[0], Address: "12 rue " + words(2),
				Phone: "+33549000000", Email: "contact@exemple.fr", Networks: some(directory.Networks, 2),
				OpeningHours: genHours[r.IntN(len(genHours))], CreatedAt: now, UpdatedAt: now,
				Latitude: ptr(c.Center[1]), Longitude: ptr(c.Center[0]), SIRET: "12345678900012",
			}
			g.structures[st.ID] = st
		}
		lat := c.Center[1] + (r.Float64()-0.5)*0.02
		lon := c.Center[0] + (r.Float64()-0.5)*0.02
		s := &directory.Service{
			ID: fmt.Sprintf("gsv%013d", i), StructureID: st.ID, Source: "bench",
			Name:        capitalize(words(6)) + " à " + c.Name,
			Description: "**" + words(8) + "**\n\n" + words(40) + "\n\n- " + words(6) + "\n- " + words(6),
			Type:        directory.ServiceTypes.Terms()[r.IntN(6)].Value,
			Thematiques: some(directory.Thematiques, 3),
			Fees:        directory.Fees.Terms()[r.IntN(2)].Value,
			Publics:     some(directory.Publics, 3),
			CommuneName: c.Name, CodeInsee: c.Code, PostalCode: c.PostalCodes[0], Address: "3 place " + words(2),
			Latitude: &lat, Longitude: &lon, Phone: "+33549112233", Email: "accueil@exemple.fr",
			MobilisationModes: []string{"telephoner"}, MobilisableBy: []string{"professionnels"},
			OpeningHours: genHours[r.IntN(len(genHours))], Status: directory.StatusPublished,
			UpdateFrequency: directory.FrequencyYearly,
			CreatedAt:       now, UpdatedAt: now.Add(-time.Duration(r.IntN(400*24)) * time.Hour),
		}
		switch x := r.IntN(10); {
		case x < 6:
			s.ReceptionModes = []string{"en-presentiel"}
		case x < 8:
			s.ReceptionModes = []string{"a-distance"}
		default:
			s.ReceptionModes = []string{"en-presentiel", "a-distance"}
		}
		switch x := r.IntN(10); {
		case x < 3:
			s.EligibilityZone = []directory.Zone{{Kind: directory.ZoneCommune, Code: c.Code}}
		case x < 5 && c.EPCI != "":
			s.EligibilityZone = []directory.Zone{{Kind: directory.ZoneEPCI, Code: c.EPCI}}
		case x < 8:
			s.EligibilityZone = []directory.Zone{{Kind: directory.ZoneDepartement, Code: c.Departement}}
		case x < 9:
			s.EligibilityZone = []directory.Zone{{Kind: directory.ZoneRegion, Code: c.Region}}
		default:
			s.EligibilityZone = []directory.Zone{directory.France}
		}
		g.services = append(g.services, s)
	}
	return g
}

func capitalize(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	return strings.ToUpper(string(r[0])) + string(r[1:])
}
