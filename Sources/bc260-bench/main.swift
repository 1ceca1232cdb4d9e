// `make bench`: the speed targets of the stack, printed as a table. The bars quoted are
// libcoap 4.3.1 measured on this kind of machine (see README).
import Foundation
import CoAP

print("bc260 benchmarks (release build)")
let codec = CoAPCodecBench.run()
print("CoAP encode+decode, fixed mix:       \(Measure.format(codec))  (libcoap 6.8 M/s: \(String(format: "%.2f", codec / 6.8e6))x)")
let tlv = TLVBench.run()
print("TLV encode+decode of /3/0:            \(Measure.format(tlv))")

// Optional: measure another server's registration rate (e.g. libcoap's coap-rd-notls) with
// the same generator: `bc260-bench --rd HOST:PORT`.
if let i = CommandLine.arguments.firstIndex(of: "--rd"), i + 1 < CommandLine.arguments.count,
   let address = PeerAddress(parsing: CommandLine.arguments[i + 1]) {
    let rate = try RegistrationLoad.run(server: address)
    print("registrations/s at \(address), 16 in flight: \(Measure.format(rate))")
}
