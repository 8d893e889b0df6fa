package observatory

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/repere-spie/repere/internal/directory"
)

// PartnerSource is what the freshness report reads: every service and
// structure of the store, drafts included.
type PartnerSource interface {
	EachService(ctx context.Context, fn func(*directory.Service) error) error
	EachStructure(ctx context.Context, fn func(*directory.Structure) error) error
}

// Freshness sums the services of a structure or of a network.
type Freshness struct {
	Services int // not archived
	UpToDate int // published and confirmed within their update frequency
	Stale    int // published but not confirmed within it
	Drafts   int
	// Incomplete are the published services missing a recommended field;
	// Missing counts each field.
	Incomplete int
	Missing    map[string]int
}

// Share is part of the services, 0 to 1.
func (f *Freshness) Share(n int) float64 {
	if f.Services == 0 {
		return 0
	}
	return float64(n) / float64(f.Services)
}

func (f *Freshness) add(s *directory.Service, missing []string, now time.Time) {
	f.Services++
	switch s.Status {
	case directory.StatusPublished:
		if s.Stale(now) {
			f.Stale++
		} else {
			f.UpToDate++
		}
		if len(missing) > 0 {
			f.Incomplete++
			if f.Missing == nil {
				f.Missing = map[string]int{}
			}
			for _, m := range missing {
				f.Missing[m]++
			}
		}
	case directory.StatusDraft:
		f.Drafts++
	}
}

// StructureFreshness is the freshness of one structure's services.
type StructureFreshness struct {
	ID, Name    string
	Departement string
	Networks    []string
	Freshness
}

// NetworkFreshness is the freshness of the services of a network's
// structures ("" for the structures of no network).
type NetworkFreshness struct {
	Network, Label string
	Structures     int
	Freshness
}

// Partners is the freshness and completeness of the offer by structure and
// by network, at one time.
type Partners struct {
	Built      time.Time
	Total      Freshness
	Networks   []NetworkFreshness
	Structures []StructureFreshness // the least up to date first
}

// Recommended are the fields a published service should have beyond those
// publication requires, as a professional needs them to send someone: the
// French labels the report counts by.
var Recommended = []string{"Téléphone ou courriel", "Horaires d’accueil", "Publics", "Frais", "Modes de mobilisation", "Adresse ou position"}

// missingRecommended lists the recommended fields s lacks.
func missingRecommended(s *directory.Service) []string {
	var out []string
	if s.Phone == "" && s.Email == "" {
		out = append(out, Recommended[0])
	}
	if s.OpeningHours == "" && s.OnSite() {
		out = append(out, Recommended[1])
	}
	if len(s.Publics) == 0 {
		out = append(out, Recommended[2])
	}
	if s.Fees == "" {
		out = append(out, Recommended[3])
	}
	if len(s.MobilisationModes) == 0 {
		out = append(out, Recommended[4])
	}
	if s.OnSite() && (s.Address == "" || s.Latitude == nil || s.Longitude == nil) {
		out = append(out, Recommended[5])
	}
	return out
}

// ReadPartners computes the freshness of every structure of src at now;
// keep, when not nil, chooses the structures counted (a moderator's
// départements).
func ReadPartners(ctx context.Context, src PartnerSource, now time.Time, keep func(*directory.Structure) bool) (*Partners, error) {
	byID := map[string]*StructureFreshness{}
	err := src.EachStructure(ctx, func(st *directory.Structure) error {
		if keep != nil && !keep(st) {
			return nil
		}
		byID[st.ID] = &StructureFreshness{ID: st.ID, Name: st.Name, Departement: directory.DepartementOfCommune(st.CodeInsee), Networks: slices.Clone(st.Networks)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	p := &Partners{Built: now}
	err = src.EachService(ctx, func(s *directory.Service) error {
		sf := byID[s.StructureID]
		if sf == nil || s.Status == directory.StatusArchived {
			return nil
		}
		missing := []string(nil)
		if s.Status == directory.StatusPublished {
			missing = missingRecommended(s)
		}
		sf.add(s, missing, now)
		p.Total.add(s, missing, now)
		return nil
	})
	if err != nil {
		return nil, err
	}
	nets := map[string]*NetworkFreshness{}
	network := func(code string) *NetworkFreshness {
		n := nets[code]
		if n == nil {
			n = &NetworkFreshness{Network: code, Label: "Sans réseau"}
			if code != "" {
				n.Label = directory.Networks.Label(code)
			}
			nets[code] = n
		}
		return n
	}
	for _, sf := range byID {
		if sf.Services == 0 {
			continue
		}
		p.Structures = append(p.Structures, *sf)
		codes := sf.Networks
		if len(codes) == 0 {
			codes = []string{""}
		}
		for _, code := range codes {
			n := network(code)
			n.Structures++
			n.merge(&sf.Freshness)
		}
	}
	for _, n := range nets {
		p.Networks = append(p.Networks, *n)
	}
	slices.SortFunc(p.Networks, func(a, b NetworkFreshness) int {
		return cmp.Or(cmp.Compare(b.Services, a.Services), cmp.Compare(a.Network, b.Network))
	})
	slices.SortFunc(p.Structures, func(a, b StructureFreshness) int {
		return cmp.Or(cmp.Compare(a.Share(a.UpToDate), b.Share(b.UpToDate)), cmp.Compare(b.Services, a.Services), cmp.Compare(a.ID, b.ID))
	})
	return p, nil
}

func (f *Freshness) merge(o *Freshness) {
	f.Services += o.Services
	f.UpToDate += o.UpToDate
	f.Stale += o.Stale
	f.Drafts += o.Drafts
	f.Incomplete += o.Incomplete
	for k, v := range o.Missing {
		if f.Missing == nil {
			f.Missing = map[string]int{}
		}
		f.Missing[k] += v
	}
}

// Size estimates the memory p holds, for caches.
func (p *Partners) Size() int {
	n := 256
	for _, s := range p.Structures {
		n += 160 + len(s.ID) + len(s.Name) + 16*len(s.Networks) + 48*len(s.Missing)
	}
	return n + 200*len(p.Networks)
}
