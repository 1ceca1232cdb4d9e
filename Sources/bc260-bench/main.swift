// `make bench`: the speed targets of the stack, printed as a table. The bars quoted are
// libcoap 4.3.1 measured on this kind of machine (see README).
import Foundation

print("bc260 benchmarks (release build)")
let codec = CoAPCodecBench.run()
print("CoAP encode+decode, fixed mix:       \(Measure.format(codec))  (libcoap 6.8 M/s: \(String(format: "%.2f", codec / 6.8e6))x)")
