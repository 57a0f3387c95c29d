package contact

// The tests check numbers with the plan the deployed functions use.
import _ "github.com/provisio/provisio/shared/phone/libphone"
