package seed

import (
	"io"

	"github.com/repere-spie/repere/internal/datainclusion"
	"github.com/repere-spie/repere/internal/directory"
)

// WriteDataInclusion writes the dataset as data·inclusion v1 JSON: one array
// of structures and one of services. Every structure is written; services
// only when visible at opt.Now (published and not suspended), since the
// schema has no publication status. A région zone is written as the codes of
// its départements, as the schema asks.
func WriteDataInclusion(structures, services io.Writer, g *directory.Geography, opt Options) error {
	opt = opt.withDefaults()
	regionDeps := map[string][]string{}
	for _, d := range g.Departements {
		regionDeps[d.Region] = append(regionDeps[d.Region], d.Code)
	}
	sw, vw := datainclusion.NewWriter(structures), datainclusion.NewWriter(services)
	err := Generate(g, opt, func(st *directory.Structure, ss []*directory.Service) error {
		if err := sw.Write(datainclusion.FromStructure(st)); err != nil {
			return err
		}
		for _, s := range ss {
			if !s.Visible(opt.Now) {
				continue
			}
			if err := vw.Write(datainclusion.FromService(s, regionDeps)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := sw.Close(); err != nil {
		return err
	}
	return vw.Close()
}
