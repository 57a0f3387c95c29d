package app

import (
	"time"

	"github.com/provisio/provisio/shared/httpapi"
	"github.com/provisio/provisio/shared/numbering"
)

func numberFunctions() map[string]Wiring {
	return map[string]Wiring{
		"AddNumberRangeFunction":     AddNumberRangeFunction,
		"ReleaseNumberRangeFunction": ReleaseNumberRangeFunction,
		"ListNumberRangesFunction":   ListNumberRangesFunction,
		"AvailableNumbersFunction":   AvailableNumbersFunction,
		"AssignNumberBlockFunction":  AssignNumberBlockFunction,
		"ListNumberBlocksFunction":   ListNumberBlocksFunction,
	}
}

// numbersAPI is the API of the number routes, which only read and write the table.
func (d *Deps) numbersAPI() *httpapi.API {
	return &httpapi.API{Numbers: &numbering.Service{Store: d.store().forNumbering(), Now: time.Now}}
}

// AddNumberRangeFunction answers POST /v1/accounts/{accountId}/number-ranges.
func AddNumberRangeFunction(d *Deps) any {
	api := d.numbersAPI()
	return d.route(api, api.AddNumberRange)
}

// ReleaseNumberRangeFunction answers DELETE .../number-ranges/{rangeId}.
func ReleaseNumberRangeFunction(d *Deps) any {
	api := d.numbersAPI()
	return d.route(api, api.ReleaseNumberRange)
}

// ListNumberRangesFunction answers GET /v1/accounts/{accountId}/number-ranges.
func ListNumberRangesFunction(d *Deps) any {
	api := d.numbersAPI()
	return d.route(api, api.ListNumberRanges)
}

// AvailableNumbersFunction answers GET /v1/accounts/{accountId}/available-numbers.
func AvailableNumbersFunction(d *Deps) any {
	api := d.numbersAPI()
	return d.route(api, api.AvailableNumbers)
}

// AssignNumberBlockFunction answers POST /v1/accounts/{accountId}/number-blocks.
func AssignNumberBlockFunction(d *Deps) any {
	api := d.numbersAPI()
	return d.route(api, api.AssignNumberBlock)
}

// ListNumberBlocksFunction answers GET /v1/accounts/{accountId}/number-blocks.
func ListNumberBlocksFunction(d *Deps) any {
	api := d.numbersAPI()
	return d.route(api, api.ListNumberBlocks)
}
