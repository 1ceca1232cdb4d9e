import LwM2M

/// TLV encode + decode of the module's /3/0 Device instance, as a read answer would carry it.
enum TLVBench {
    static func run() -> Double {
        let tree = ObjectTree(profile: ModuleProfile(imei: "867724030023557", serialNumber: "BC260Y0001"))
        guard let node = try? tree.read(LwM2MPath(3, 0)) else { fatalError("bench: /3/0 unreadable") }
        let path = LwM2MPath(3, 0)
        return Measure.rate { n in
            var sum = 0
            for _ in 0..<n {
                let bytes = TLV.encode(node)
                if let back = try? TLV.decode(bytes, at: path, definition: .device) {
                    sum &+= bytes.count &+ (back == node ? 1 : 0)
                }
            }
            return sum
        }
    }
}
