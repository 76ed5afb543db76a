package smmtest

// The panel's error texts, as real panels word them. They go on the wire
// as {"error": "..."}; the emulator returns no Go errors.
const (
	msgIncorrectRequest = "Incorrect request"
	msgInvalidKey       = "Invalid API key"
	msgIncorrectService = "Incorrect service ID"
	msgIncorrectOrder   = "Incorrect order ID"
	msgIncorrectLink    = "Incorrect link"
	msgNotEnoughFunds   = "Not enough funds on balance"
	msgQuantityMin      = "Quantity less than minimal %d"
	msgQuantityMax      = "Quantity more than maximum %d"
	msgRefillNotAllowed = "Refill not allowed"
	msgRefillNotFound   = "Refill not found"
	msgCancelNotAllowed = "Cancel not allowed"
)
