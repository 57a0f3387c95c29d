package catalog

import (
	"testing"
	"testing/fstest"
)

func TestLoadShipsAtLeastThreeTemplates(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	all := c.All()
	if len(all) < 3 {
		t.Fatalf("got %d templates, want at least 3", len(all))
	}
	for _, tpl := range all {
		if len(tpl.DefaultPermissions) == 0 {
			t.Errorf("template %s has no default permissions", tpl.ID)
		}
	}
	if _, ok := c.Find("business-pro"); !ok {
		t.Error("business-pro not found")
	}
	if _, ok := c.Find("nope"); ok {
		t.Error("found a template that does not exist")
	}
}

func TestLoadRefusesBrokenFiles(t *testing.T) {
	good := `{"id":"a","name":"A","features":["x"],"limits":{"users":1},"defaultPermissions":["p"],"timezone":"UTC"}`
	cases := map[string]string{
		"unknown field": `{"id":"a","name":"A","features":["x"],"limits":{"users":1},"timezone":"UTC","extra":1}`,
		"no features":   `{"id":"a","name":"A","features":[],"limits":{"users":1},"timezone":"UTC"}`,
		"bad zone":      `{"id":"a","name":"A","features":["x"],"limits":{"users":1},"timezone":"Mars/Base"}`,
		"no users":      `{"id":"a","name":"A","features":["x"],"limits":{"users":0},"timezone":"UTC"}`,
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			fsys := fstest.MapFS{"templates/good.json": {Data: []byte(good)}, "templates/bad.json": {Data: []byte(body)}}
			if _, err := load(fsys); err == nil {
				t.Fatal("want an error")
			}
		})
	}
	dup := fstest.MapFS{"templates/a.json": {Data: []byte(good)}, "templates/b.json": {Data: []byte(good)}}
	if _, err := load(dup); err == nil {
		t.Fatal("duplicate ids: want an error")
	}
}
