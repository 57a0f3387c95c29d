package money

import "strings"

// iso4217 lists the active ISO 4217 currency codes (list one of the standard), without
// the funds, precious metals and testing codes (XAU, XTS, XXX, …) that no invoice uses.
const iso4217 = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP " +
	"BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS " +
	"GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD " +
	"KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO " +
	"NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS " +
	"SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF " +
	"XCD XCG XOF XPF YER ZAR ZMW ZWG"

// KnownCurrency reports whether code is an active ISO 4217 currency code (upper case).
func KnownCurrency(code string) bool {
	if len(code) != 3 || strings.ToUpper(code) != code {
		return false
	}
	i := strings.Index(iso4217, code)
	return i >= 0 && i%4 == 0
}

// Bounds on amounts, in minor units. Every amount an API takes is checked against its
// bound, and every sum of them is computed with Add, so no arithmetic can wrap.
const (
	// MaxCreditAddition bounds one credit addition, the opening credit included (one
	// million in a two-decimal currency), so a typo cannot mint a fortune.
	MaxCreditAddition int64 = 100_000_000
	// MaxBalance bounds a credit balance (ten billion in a two-decimal currency).
	MaxBalance int64 = 1_000_000_000_000
	// MaxDebitLimit bounds how far below zero a balance may go.
	MaxDebitLimit int64 = 1_000_000_000_000
	// MaxCallCost bounds the cost of one call record.
	MaxCallCost int64 = 2_147_483_647
)
