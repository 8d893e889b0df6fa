package importer

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
)

var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// stableID is the Repère id of an imported record: derived from its feed,
// its source and the producer's id, so that importing the same record again,
// even after a crash, finds the same id instead of making a duplicate. It
// has the shape of directory.NewID.
func stableID(kind, feed, source, externalID string) string {
	h := sha256.Sum256([]byte(kind + "\x00" + feed + "\x00" + source + "\x00" + externalID))
	return strings.ToLower(idEncoding.EncodeToString(h[:10]))
}

// contentID stands for the producer's id when a source has none: a digest
// of what identifies the record there (folded, so that "LILLE" and "Lille"
// agree).
func contentID(parts ...string) string {
	for i, p := range parts {
		parts[i] = geo.Fold(p)
	}
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return "empreinte-" + strings.ToLower(idEncoding.EncodeToString(h[:10]))
}

// structureKey recognises a structure across sources: its SIRET, else its
// folded name, commune and address.
func structureKey(st *directory.Structure) string {
	if st.SIRET != "" {
		return "siret:" + st.SIRET
	}
	if st.CodeInsee == "" {
		return "" // too little to tell two structures apart
	}
	return "nom:" + geo.Fold(st.Name) + "|" + st.CodeInsee + "|" + geo.Fold(st.Address)
}

// serviceKey recognises a service across sources: its structure, its folded
// name and its thématiques.
func serviceKey(structureKey, name string, thematiques []string) string {
	if structureKey == "" {
		return ""
	}
	th := slices.Clone(thematiques)
	slices.Sort(th)
	return structureKey + "|" + geo.Fold(name) + "|" + strings.Join(th, ",")
}

// field is one field of a record an import writes, read as one string:
// the unit in which partner edits are recognised and kept.
type field[T any] struct {
	name string
	get  func(*T) string
	set  func(dst, src *T)
}

// serviceFields are the fields of a service an import writes.
var serviceFields = []field[directory.Service]{
	{"nom", func(s *directory.Service) string { return s.Name }, func(d, s *directory.Service) { d.Name = s.Name }},
	{"description", func(s *directory.Service) string { return s.Description }, func(d, s *directory.Service) { d.Description = s.Description }},
	{"lien_source", func(s *directory.Service) string { return s.SourceLink }, func(d, s *directory.Service) { d.SourceLink = s.SourceLink }},
	{"type", func(s *directory.Service) string { return s.Type }, func(d, s *directory.Service) { d.Type = s.Type }},
	{"thematiques", func(s *directory.Service) string { return strings.Join(s.Thematiques, ",") }, func(d, s *directory.Service) { d.Thematiques = s.Thematiques }},
	{"frais", func(s *directory.Service) string { return s.Fees }, func(d, s *directory.Service) { d.Fees = s.Fees }},
	{"frais_precisions", func(s *directory.Service) string { return s.FeesDetails }, func(d, s *directory.Service) { d.FeesDetails = s.FeesDetails }},
	{"publics", func(s *directory.Service) string { return strings.Join(s.Publics, ",") }, func(d, s *directory.Service) { d.Publics = s.Publics }},
	{"publics_precisions", func(s *directory.Service) string { return s.PublicsDetails }, func(d, s *directory.Service) { d.PublicsDetails = s.PublicsDetails }},
	{"conditions_acces", func(s *directory.Service) string { return s.AccessConditions }, func(d, s *directory.Service) { d.AccessConditions = s.AccessConditions }},
	{"adresse", func(s *directory.Service) string {
		return strings.Join([]string{s.Address, s.AddressComplement, s.PostalCode, s.CodeInsee, s.CommuneName, coord(s.Longitude), coord(s.Latitude)}, "|")
	}, func(d, s *directory.Service) {
		d.Address, d.AddressComplement, d.PostalCode, d.CodeInsee, d.CommuneName = s.Address, s.AddressComplement, s.PostalCode, s.CodeInsee, s.CommuneName
		d.Longitude, d.Latitude, d.Provenance.Position = s.Longitude, s.Latitude, s.Provenance.Position
	}},
	{"telephone", func(s *directory.Service) string { return s.Phone }, func(d, s *directory.Service) { d.Phone = s.Phone }},
	{"courriel", func(s *directory.Service) string { return s.Email }, func(d, s *directory.Service) { d.Email = s.Email }},
	{"contact_nom_prenom", func(s *directory.Service) string { return s.ContactName }, func(d, s *directory.Service) { d.ContactName = s.ContactName }},
	{"modes_accueil", func(s *directory.Service) string { return strings.Join(s.ReceptionModes, ",") }, func(d, s *directory.Service) { d.ReceptionModes = s.ReceptionModes }},
	{"zone_eligibilite", func(s *directory.Service) string {
		keys := make([]string, len(s.EligibilityZone))
		for i, z := range s.EligibilityZone {
			keys[i] = z.Key()
		}
		return strings.Join(keys, ",")
	}, func(d, s *directory.Service) { d.EligibilityZone = s.EligibilityZone }},
	{"lien_mobilisation", func(s *directory.Service) string { return s.MobilisationLink }, func(d, s *directory.Service) { d.MobilisationLink = s.MobilisationLink }},
	{"modes_mobilisation", func(s *directory.Service) string { return strings.Join(s.MobilisationModes, ",") }, func(d, s *directory.Service) { d.MobilisationModes = s.MobilisationModes }},
	{"mobilisable_par", func(s *directory.Service) string { return strings.Join(s.MobilisableBy, ",") }, func(d, s *directory.Service) { d.MobilisableBy = s.MobilisableBy }},
	{"mobilisation_precisions", func(s *directory.Service) string { return s.MobilisationDetails }, func(d, s *directory.Service) { d.MobilisationDetails = s.MobilisationDetails }},
	{"horaires_accueil", func(s *directory.Service) string { return s.OpeningHours }, func(d, s *directory.Service) { d.OpeningHours = s.OpeningHours }},
	{"nombre_semaines", func(s *directory.Service) string {
		if s.WeeksCount == nil {
			return ""
		}
		return strconv.Itoa(*s.WeeksCount)
	}, func(d, s *directory.Service) { d.WeeksCount = s.WeeksCount }},
	{"volume_horaire_hebdomadaire", func(s *directory.Service) string { return coord(s.WeeklyHours) }, func(d, s *directory.Service) { d.WeeklyHours = s.WeeklyHours }},
	{"structure_id", func(s *directory.Service) string { return s.StructureID }, func(d, s *directory.Service) { d.StructureID = s.StructureID }},
}

// structureFields are the same for structures.
var structureFields = []field[directory.Structure]{
	{"nom", func(s *directory.Structure) string { return s.Name }, func(d, s *directory.Structure) { d.Name = s.Name }},
	{"siret", func(s *directory.Structure) string { return s.SIRET }, func(d, s *directory.Structure) { d.SIRET = s.SIRET }},
	{"description", func(s *directory.Structure) string { return s.Description }, func(d, s *directory.Structure) { d.Description = s.Description }},
	{"adresse", func(s *directory.Structure) string {
		return strings.Join([]string{s.Address, s.AddressComplement, s.PostalCode, s.CodeInsee, s.CommuneName, coord(s.Longitude), coord(s.Latitude)}, "|")
	}, func(d, s *directory.Structure) {
		d.Address, d.AddressComplement, d.PostalCode, d.CodeInsee, d.CommuneName = s.Address, s.AddressComplement, s.PostalCode, s.CodeInsee, s.CommuneName
		d.Longitude, d.Latitude, d.Provenance.Position = s.Longitude, s.Latitude, s.Provenance.Position
	}},
	{"telephone", func(s *directory.Structure) string { return s.Phone }, func(d, s *directory.Structure) { d.Phone = s.Phone }},
	{"courriel", func(s *directory.Structure) string { return s.Email }, func(d, s *directory.Structure) { d.Email = s.Email }},
	{"site_web", func(s *directory.Structure) string { return s.Website }, func(d, s *directory.Structure) { d.Website = s.Website }},
	{"lien_source", func(s *directory.Structure) string { return s.SourceLink }, func(d, s *directory.Structure) { d.SourceLink = s.SourceLink }},
	{"accessibilite_lieu", func(s *directory.Structure) string { return s.AccessibilityLink }, func(d, s *directory.Structure) { d.AccessibilityLink = s.AccessibilityLink }},
	{"horaires_accueil", func(s *directory.Structure) string { return s.OpeningHours }, func(d, s *directory.Structure) { d.OpeningHours = s.OpeningHours }},
	{"reseaux_porteurs", func(s *directory.Structure) string { return strings.Join(s.Networks, ",") }, func(d, s *directory.Structure) { d.Networks = s.Networks }},
}

func coord(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', 6, 64)
}

// fieldHashes digests each field value in 4 bytes, in table order: what
// Provenance.Fields keeps of the last imported values.
func fieldHashes(values []string) []byte {
	out := make([]byte, 0, 4*len(values))
	for _, v := range values {
		h := fnv.New32a()
		h.Write([]byte(v))
		out = binary.BigEndian.AppendUint32(out, h.Sum32())
	}
	return out
}

// edited reports whether field i no longer holds the value last imported.
// Without a record of it (older imports), nothing counts as edited.
func edited(base []byte, i int, current string) bool {
	if len(base) < 4*(i+1) {
		return false
	}
	h := fnv.New32a()
	h.Write([]byte(current))
	return binary.BigEndian.Uint32(base[4*i:]) != h.Sum32()
}

// values reads every field of a record.
func values[T any](fields []field[T], r *T) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.get(r)
	}
	return out
}

// merge is the new version of the stored record cur: the source's values
// (in), except for the fields edited on Repère since the last import (base
// holds their hashes then), which keep their value, the source's returned
// beside them for moderators.
func merge[T any](fields []field[T], cur, in *T, base []byte, now time.Time) (T, []directory.ProposedValue) {
	out := *cur
	var proposed []directory.ProposedValue
	for i, f := range fields {
		if edited(base, i, f.get(cur)) {
			if f.get(in) != f.get(cur) {
				proposed = append(proposed, directory.ProposedValue{Field: f.name, Value: f.get(in), At: now})
			}
			continue
		}
		f.set(&out, in)
	}
	return out, proposed
}

// digest is the hash of a record's imported values plus what the import
// decides from them (status, duplicate link): equal digests, nothing to write.
func digest(values []string, extra ...string) string {
	h := sha256.New()
	for _, v := range append(values, extra...) {
		h.Write([]byte(v))
		h.Write([]byte{0})
	}
	return strings.ToLower(idEncoding.EncodeToString(h.Sum(nil)[:15]))
}

// Proposal is a value a source proposes for a field someone edited on
// Repère, beside the value kept, for moderators.
type Proposal struct {
	Field, Current, Proposed string
	At                       time.Time
}

// Proposals are the source's proposals for svc, readable: labels in French,
// vocabularies by their labels, lists and addresses with commas.
func Proposals(svc *directory.Service) []Proposal {
	var out []Proposal
	for _, p := range svc.Provenance.Proposed {
		cur := ""
		for _, f := range serviceFields {
			if f.name == p.Field {
				cur = f.get(svc)
			}
		}
		label, vocab := fieldLabel(p.Field), (*directory.Vocabulary)(nil)
		for _, f := range directory.ServiceFields {
			if f.Name == p.Field {
				label, vocab = f.Label, f.Vocab
			}
		}
		out = append(out, Proposal{Field: label, Current: readable(cur, vocab), Proposed: readable(p.Value, vocab), At: p.At})
	}
	return out
}

// readable joins the parts of a field value with commas, vocabulary
// values by their labels.
func readable(v string, vocab *directory.Vocabulary) string {
	var parts []string
	for _, x := range strings.FieldsFunc(v, func(r rune) bool { return r == '|' || r == ',' }) {
		if x = strings.TrimSpace(x); x != "" {
			if vocab != nil {
				x = vocab.Label(x)
			}
			parts = append(parts, x)
		}
	}
	return strings.Join(parts, ", ")
}
