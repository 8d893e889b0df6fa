package seed

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

var streets = []string{
	"rue de la République", "avenue Jean Jaurès", "rue Victor Hugo", "place de la Mairie",
	"rue du Général de Gaulle", "boulevard Gambetta", "rue Pasteur", "rue de la Gare",
	"rue des Écoles", "avenue de la Libération", "rue Jules Ferry", "rue du Moulin",
	"rue de l'Église", "allée des Tilleuls", "rue Émile Zola", "place du Marché",
	"rue Anatole France", "rue Jean Moulin", "rue des Lilas", "avenue du Maréchal Leclerc",
	"rue Carnot", "rue de Verdun", "rue du 8 Mai 1945", "rue Louise Michel", "rue Paul Bert",
	"rue Voltaire", "rue de la Paix", "rue des Acacias", "boulevard de la Liberté",
	"rue Marcel Pagnol", "impasse des Vignes", "rue Pierre et Marie Curie", "rue du Stade",
	"rue Aristide Briand", "chemin des Prés", "rue Simone Veil", "avenue de l'Europe",
	"rue Gustave Eiffel", "cours Lafayette", "rue des Jardins",
}

var addressComplements = []string{
	"Bâtiment B", "2e étage", "Entrée par la cour", "Maison des associations",
	"Rez-de-chaussée", "Espace Simone Veil", "Porte 3", "Hôtel de ville, aile nord",
}

var firstNames = []string{
	"Camille", "Nadia", "Julien", "Sophie", "Karim", "Élodie", "Thomas", "Aurélie",
	"Mehdi", "Claire", "Nicolas", "Fatou", "Laurent", "Inès", "Sébastien", "Marion",
	"Yann", "Hélène", "Olivier", "Awa", "Mathieu", "Céline", "Rachid", "Émilie",
}

var lastNames = []string{
	"Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Lefèvre", "Roux", "Fournier",
	"Girard", "Benali", "Mercier", "Diallo", "Faure", "Blanc", "Guérin", "Boyer",
	"Garnier", "Chevalier", "Perrin", "Nguyen", "Robin", "Masson", "Lemoine", "Colin",
}

// hours are opening hours in OpenStreetMap opening_hours syntax.
var hours = []string{
	"Mo-Fr 09:00-12:00,14:00-17:00",
	"Mo-Fr 08:30-12:30; PH off",
	"Mo-Fr 08:30-12:30; Sa 09:00-12:00; PH off",
	"Tu,Th 13:30-17:00",
	"Mo,We,Fr 09:00-12:00",
	"Mo-Th 09:00-12:30,13:30-17:00; Fr 09:00-12:30",
	"We 14:00-18:00; Sa 10:00-12:00",
	"Mo-Fr 09:00-17:00",
	"Tu-Sa 10:00-18:00; PH off",
	"Mo 14:00-17:30; Tu-Fr 09:00-12:00,14:00-17:30",
	"Mo-Fr 08:00-18:00",
	"Th 09:00-12:00",
}

// fictionPhones are the blocks of numbers ARCEP reserves for fiction, by
// their first two digits: "01" is 01 99 00 xx xx. They never ring anyone. The
// mobile block, 06 39 98, lies in the range of Mayotte, hence +262.
var fictionPhones = map[string]string{
	"01": "+3319900",
	"02": "+3326191",
	"03": "+3335301",
	"04": "+3346571",
	"05": "+3353649",
	"06": "+26263998",
}

// phoneArea is the geographic prefix of a région; overseas and unknown
// régions get a mobile number.
func phoneArea(region string) string {
	switch region {
	case "11":
		return "01"
	case "24", "28", "52", "53":
		return "02"
	case "27", "32", "44":
		return "03"
	case "84", "93", "94":
		return "04"
	case "75", "76":
		return "05"
	}
	return "06"
}

// phone returns an E.164 number of the fiction block of area.
func phone(r *rand.Rand, area string) string {
	n := r.IntN(10000)
	return fictionPhones[area] + pad(n, 4)
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	for len(s) < width {
		s = "0" + s
	}
	return s
}

// siret returns a SIRET whose SIREN and whole number pass the Luhn check.
func siret(r *rand.Rand, first byte) string {
	b := make([]byte, 14)
	b[0] = first
	for i := 1; i < 8; i++ {
		b[i] = byte('0' + r.IntN(10))
	}
	b[8] = luhnDigit(b[:8])
	b[9], b[10], b[11] = '0', '0', byte('0'+r.IntN(10))
	b[12] = byte('1' + r.IntN(9))
	b[13] = luhnDigit(b[:13])
	return string(b)
}

// luhnDigit is the check digit that makes digits+check pass the Luhn test.
func luhnDigit(digits []byte) byte {
	sum := 0
	for i := range digits {
		d := int(digits[len(digits)-1-i] - '0')
		if i%2 == 0 { // doubled once the check digit is appended
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

// startsWithVowel decides the elision of "de" and "à" ("d'Angers"); the h is
// left alone, aspirated or not, as place names vary.
func startsWithVowel(s string) bool {
	c, _ := utf8.DecodeRuneInString(s)
	switch unicode.ToLower(c) {
	case 'a', 'e', 'i', 'o', 'u', 'y', 'é', 'è', 'ê', 'â', 'î', 'ô', 'û', 'œ':
		return true
	}
	return false
}

// deCommune gives "de Poitiers", "du Mans", "des Sables-d'Olonne", "d'Angers".
func deCommune(name string) string {
	switch {
	case strings.HasPrefix(name, "Le "):
		return "du " + name[3:]
	case strings.HasPrefix(name, "Les "):
		return "des " + name[4:]
	case startsWithVowel(name):
		return "d'" + name
	}
	return "de " + name
}

// aCommune gives "à Poitiers", "au Mans", "aux Sables-d'Olonne".
func aCommune(name string) string {
	switch {
	case strings.HasPrefix(name, "Le "):
		return "au " + name[3:]
	case strings.HasPrefix(name, "Les "):
		return "aux " + name[4:]
	}
	return "à " + name
}

// Département names by their article; the others are feminine ("de la
// Vienne") or start with a vowel ("de l'Ain").
var (
	depMasculine = map[string]bool{"Nord": true, "Gard": true, "Var": true, "Lot": true, "Cher": true,
		"Doubs": true, "Gers": true, "Jura": true, "Loiret": true, "Rhône": true, "Tarn": true,
		"Calvados": true, "Cantal": true, "Finistère": true, "Morbihan": true, "Val-de-Marne": true,
		"Val-d'Oise": true, "Haut-Rhin": true, "Bas-Rhin": true, "Lot-et-Garonne": true,
		"Tarn-et-Garonne": true, "Puy-de-Dôme": true, "Pas-de-Calais": true, "Territoire de Belfort": true,
		"Loir-et-Cher": true, "Maine-et-Loire": true, "Vaucluse": true}
	depPlural = map[string]bool{"Bouches-du-Rhône": true, "Côtes-d'Armor": true, "Landes": true,
		"Yvelines": true, "Vosges": true, "Ardennes": true, "Deux-Sèvres": true, "Hauts-de-Seine": true,
		"Pyrénées-Atlantiques": true, "Hautes-Pyrénées": true, "Pyrénées-Orientales": true,
		"Hautes-Alpes": true, "Alpes-Maritimes": true, "Alpes-de-Haute-Provence": true}
	depBare = map[string]bool{"Paris": true, "Mayotte": true, "La Réunion": true}
)

// deDepartement gives "de la Vienne", "du Nord", "des Landes", "de l'Ain", "de Paris".
func deDepartement(name string) string {
	switch {
	case depBare[name]:
		return "de " + name
	case depMasculine[name]:
		return "du " + name
	case depPlural[name]:
		return "des " + name
	case startsWithVowel(name):
		return "de l'" + name
	}
	return "de la " + name
}

// territory turns an EPCI name into the complement of "Mission locale":
// "CA Grand Châtellerault" gives "du Grand Châtellerault", "CC du Ternois"
// "du Ternois", "Métropole de Lyon" "de Lyon", "Bordeaux Métropole" "de
// Bordeaux Métropole".
func territory(epci string) string {
	rest := epci
	for _, p := range []string{"CA ", "CC ", "CU ", "Métropole "} {
		if strings.HasPrefix(epci, p) {
			rest = epci[len(p):]
			break
		}
	}
	for _, p := range []string{"du ", "de ", "des ", "d'"} {
		if strings.HasPrefix(rest, p) {
			return rest
		}
	}
	for _, p := range []string{"Grand ", "Pays ", "Val ", "Coeur ", "Cœur ", "Bassin ", "Haut ", "Sud ", "Nord "} {
		if strings.HasPrefix(rest, p) {
			return "du " + rest
		}
	}
	if startsWithVowel(rest) {
		return "d'" + rest
	}
	return "de " + rest
}

// domainLabel makes a DNS label of a slug: at most 50 characters, cut on a
// hyphen when possible.
func domainLabel(slug string) string {
	if len(slug) <= 50 {
		return slug
	}
	s := slug[:50]
	if i := strings.LastIndexByte(s, '-'); i > 20 {
		s = s[:i]
	}
	return strings.Trim(s, "-")
}
