package opendata

import (
	"crypto/sha1"
	"fmt"
	"strings"

	"github.com/repere-spie/repere/internal/datainclusion"
	"github.com/repere-spie/repere/internal/directory"
)

// The offer in Open Referral's Human Services Data Specification 3.0: each
// service as the API's "service" object (GET /services/{id}), its
// organization, place, phone, areas and data·inclusion vocabulary nested.
// HSDS identifiers are UUIDs: each is derived from the Repère id of the
// record and the role of the object (UUID version 5), so it stays the same
// from one file to the next.

type hsdsService struct {
	ID                     string                `json:"id"`
	Name                   string                `json:"name"`
	Description            string                `json:"description,omitempty"`
	URL                    string                `json:"url,omitempty"`
	Email                  string                `json:"email,omitempty"`
	Status                 string                `json:"status"`
	ApplicationProcess     string                `json:"application_process,omitempty"`
	FeesDescription        string                `json:"fees_description,omitempty"`
	EligibilityDescription string                `json:"eligibility_description,omitempty"`
	LastModified           string                `json:"last_modified,omitempty"`
	Phones                 []hsdsPhone           `json:"phones,omitempty"`
	Schedules              []hsdsSchedule        `json:"schedules,omitempty"`
	ServiceAreas           []hsdsArea            `json:"service_areas,omitempty"`
	ServiceAtLocations     []hsdsServiceLocation `json:"service_at_locations,omitempty"`
	Languages              []hsdsLanguage        `json:"languages"`
	Organization           *hsdsOrganization     `json:"organization,omitempty"`
	Contacts               []hsdsContact         `json:"contacts,omitempty"`
	Attributes             []hsdsAttribute       `json:"attributes,omitempty"`
}

type hsdsPhone struct {
	ID     string `json:"id"`
	Number string `json:"number"`
	Type   string `json:"type"`
}

type hsdsSchedule struct {
	ID          string `json:"id"`
	Description string `json:"description"`
}

type hsdsArea struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

type hsdsServiceLocation struct {
	ID       string       `json:"id"`
	Location hsdsLocation `json:"location"`
}

type hsdsLocation struct {
	ID           string        `json:"id"`
	LocationType string        `json:"location_type"`
	Name         string        `json:"name,omitempty"`
	Latitude     *float64      `json:"latitude,omitempty"`
	Longitude    *float64      `json:"longitude,omitempty"`
	Addresses    []hsdsAddress `json:"addresses,omitempty"`
}

type hsdsAddress struct {
	ID          string `json:"id"`
	Address1    string `json:"address_1"`
	Address2    string `json:"address_2,omitempty"`
	City        string `json:"city"`
	Region      string `json:"region,omitempty"`
	PostalCode  string `json:"postal_code"`
	Country     string `json:"country"`
	AddressType string `json:"address_type"`
}

type hsdsLanguage struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Code string `json:"code"`
}

type hsdsOrganization struct {
	ID                      string                  `json:"id"`
	Name                    string                  `json:"name"`
	Description             string                  `json:"description,omitempty"`
	Email                   string                  `json:"email,omitempty"`
	Website                 string                  `json:"website,omitempty"`
	URI                     string                  `json:"uri,omitempty"`
	Phones                  []hsdsPhone             `json:"phones,omitempty"`
	OrganizationIdentifiers []hsdsOrganizationIdent `json:"organization_identifiers,omitempty"`
	Locations               []hsdsLocation          `json:"locations,omitempty"`
}

type hsdsOrganizationIdent struct {
	ID             string `json:"id"`
	IdentifierType string `json:"identifier_type"`
	Identifier     string `json:"identifier"`
}

type hsdsContact struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type hsdsAttribute struct {
	ID           string      `json:"id"`
	LinkType     string      `json:"link_type"`
	LinkEntity   string      `json:"link_entity"`
	TaxonomyTerm hsdsTermRef `json:"taxonomy_term"`
}

type hsdsTermRef struct {
	ID       string `json:"id"`
	Code     string `json:"code"`
	Name     string `json:"name"`
	Taxonomy string `json:"taxonomy"`
	Language string `json:"language"`
}

// hsdsNamespace is the UUID namespace of Repère's HSDS identifiers.
var hsdsNamespace = [16]byte{0x6f, 0x2b, 0x52, 0x1e, 0x8c, 0x4d, 0x4a, 0x0e, 0x9b, 0x1a, 0x52, 0x65, 0x70, 0x65, 0x72, 0x65}

// hsdsID is the UUID (version 5) of name.
func hsdsID(name string) string {
	h := sha1.New()
	h.Write(hsdsNamespace[:])
	h.Write([]byte(name))
	u := h.Sum(nil)[:16]
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// hsdsTaxonomies are the data·inclusion vocabularies a service's attributes
// come from.
var hsdsTaxonomies = []struct {
	name, link string
	v          *directory.Vocabulary
	values     func(*datainclusion.Service) []string
}{
	{"data·inclusion thématiques", "thematiques", directory.Thematiques, func(r *datainclusion.Service) []string { return r.Thematiques }},
	{"data·inclusion types de services", "type", directory.ServiceTypes, func(r *datainclusion.Service) []string { return one(r.Type) }},
	{"data·inclusion publics", "publics", directory.Publics, func(r *datainclusion.Service) []string { return r.Publics }},
	{"data·inclusion frais", "frais", directory.Fees, func(r *datainclusion.Service) []string { return one(r.Frais) }},
	{"data·inclusion modes d’accueil", "modes_accueil", directory.ReceptionModes, func(r *datainclusion.Service) []string { return r.ModesAccueil }},
}

func one(p *string) []string {
	if p == nil {
		return nil
	}
	return []string{*p}
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func labels(v *directory.Vocabulary, values []string) string {
	out := make([]string, len(values))
	for i, x := range values {
		out[i] = v.Label(x)
	}
	return strings.Join(out, ", ")
}

// toHSDS converts a service from its v1 record, with its organization (nil
// when its structure is unknown).
func (d *Data) toHSDS(r *datainclusion.Service, org *hsdsOrganization) *hsdsService {
	id := "service:" + r.ID
	h := &hsdsService{
		ID: hsdsID(id), Name: r.Nom, Description: r.Description, Email: deref(r.Courriel), Status: "active",
		URL:             d.cfg.BaseURL + "/services/" + r.ID,
		LastModified:    r.DateMaj + "T00:00:00Z",
		FeesDescription: datainclusion.JoinText(labelOf(directory.Fees, r.Frais), deref(r.FraisPrecisions)),
		EligibilityDescription: datainclusion.JoinText(prefixed("Publics : ", labels(directory.Publics, r.Publics)), deref(r.PublicsPrecisions),
			deref(r.ConditionsAcces)),
		ApplicationProcess: datainclusion.JoinText(prefixed("Comment mobiliser ce service : ", labels(directory.MobilisationModes, r.ModesMobilisation)),
			deref(r.MobilisationPrecisions), deref(r.LienMobilisation)),
		Languages: []hsdsLanguage{{ID: hsdsID(id + ":langue"), Name: "français", Code: "fr"}},
	}
	if r.Telephone != nil {
		h.Phones = []hsdsPhone{{ID: hsdsID(id + ":telephone"), Number: *r.Telephone, Type: "voice"}}
	}
	if r.ContactNomPrenom != nil {
		h.Contacts = []hsdsContact{{ID: hsdsID(id + ":contact"), Name: *r.ContactNomPrenom}}
	}
	if r.HorairesAccueil != nil {
		h.Schedules = []hsdsSchedule{{ID: hsdsID(id + ":horaires"), Description: "Horaires d’accueil (syntaxe OpenStreetMap opening_hours) : " + *r.HorairesAccueil}}
	}
	for _, code := range r.ZoneEligibilite {
		name := code
		if z, ok := datainclusion.ParseZone(code); ok {
			name = d.cfg.Gazetteer.ZoneLabel(z)
		}
		h.ServiceAreas = append(h.ServiceAreas, hsdsArea{ID: hsdsID(id + ":zone:" + code), Name: name, Description: "Zone d’éligibilité data·inclusion : " + code})
	}
	if loc := location(id, r.Nom, r.Adresse, r.ComplementAdresse, r.Commune, r.CodePostal, r.CodeInsee, r.Latitude, r.Longitude); loc != nil {
		h.ServiceAtLocations = []hsdsServiceLocation{{ID: hsdsID(id + ":lieu-service"), Location: *loc}}
	}
	for _, t := range hsdsTaxonomies {
		for _, v := range t.values(r) {
			h.Attributes = append(h.Attributes, hsdsAttribute{ID: hsdsID(id + ":" + t.link + ":" + v), LinkType: t.link, LinkEntity: "service",
				TaxonomyTerm: hsdsTermRef{ID: hsdsID("terme:" + t.link + ":" + v), Code: v, Name: t.v.Label(v), Taxonomy: t.name, Language: "fr"}})
		}
	}
	h.Organization = org
	return h
}

// organization is a structure as an HSDS organization, from its v1 record.
func (d *Data) organization(st *datainclusion.Structure) *hsdsOrganization {
	oid := "structure:" + st.ID
	o := &hsdsOrganization{ID: hsdsID(oid), Name: st.Nom, Description: deref(st.Description), Email: deref(st.Courriel),
		Website: deref(st.SiteWeb), URI: d.cfg.BaseURL + "/structures/" + st.ID}
	if st.Telephone != nil {
		o.Phones = []hsdsPhone{{ID: hsdsID(oid + ":telephone"), Number: *st.Telephone, Type: "voice"}}
	}
	if st.Siret != nil {
		o.OrganizationIdentifiers = []hsdsOrganizationIdent{{ID: hsdsID(oid + ":siret"), IdentifierType: "SIRET", Identifier: *st.Siret}}
	}
	if loc := location(oid, st.Nom, st.Adresse, st.ComplementAdresse, st.Commune, st.CodePostal, st.CodeInsee, st.Latitude, st.Longitude); loc != nil {
		o.Locations = []hsdsLocation{*loc}
	}
	return o
}

func labelOf(v *directory.Vocabulary, p *string) string {
	if p == nil {
		return ""
	}
	return v.Label(*p)
}

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s + "."
}

// location is a physical place, when the record says where.
func location(owner, name string, address, complement, city, postal, insee *string, lat, lon *datainclusion.Number) *hsdsLocation {
	if address == nil && lat == nil && city == nil {
		return nil
	}
	l := &hsdsLocation{ID: hsdsID(owner + ":lieu"), LocationType: "physical", Name: name}
	if lat != nil && lon != nil {
		la, lo := float64(*lat), float64(*lon)
		l.Latitude, l.Longitude = &la, &lo
	}
	if address != nil || city != nil {
		a := hsdsAddress{ID: hsdsID(owner + ":adresse"), Address1: deref(address), Address2: deref(complement), City: deref(city),
			PostalCode: deref(postal), Country: "FR", AddressType: "physical"}
		if dep := directory.DepartementOfCommune(deref(insee)); dep != "" {
			a.Region = dep
		}
		l.Addresses = []hsdsAddress{a}
	}
	return l
}
