import Testing
@testable import LwM2M

@Suite struct TLVTests {
    static let allTypes = ObjectDefinition(id: 1000, name: "types", multipleInstances: true, resources: [
        .init(id: 0, name: "s", operations: .readWrite, type: .string),
        .init(id: 1, name: "i", operations: .readWrite, type: .integer),
        .init(id: 2, name: "u", operations: .readWrite, type: .unsignedInteger),
        .init(id: 3, name: "f", operations: .readWrite, type: .float),
        .init(id: 4, name: "b", operations: .readWrite, type: .boolean),
        .init(id: 5, name: "o", operations: .readWrite, type: .opaque),
        .init(id: 6, name: "t", operations: .readWrite, type: .time),
        .init(id: 7, name: "l", operations: .readWrite, type: .objlnk),
        .init(id: 8, name: "c", operations: .readWrite, type: .corelnk),
        .init(id: 300, name: "multi", operations: .readWrite, multiple: true, type: .integer),
    ])

    @Test(arguments: [
        (Int64(0), 1), (127, 1), (-128, 1), (128, 2), (-129, 2), (32767, 2), (32768, 4),
        (Int64(Int32.max), 4), (Int64(Int32.min), 4), (Int64(Int32.max) + 1, 8), (Int64.min, 8), (Int64.max, 8),
    ])
    func integersUseTheShortestWidth(_ v: Int64, _ width: Int) throws {
        let b = TLV.encodeValue(.integer(v))
        #expect(b.count == width)
        #expect(try TLV.decodeValue(b, as: .integer, path: .root) == .integer(v))
    }

    @Test func floatsUseFourBytesWhenExact() throws {
        #expect(TLV.encodeValue(.float(1.5)) == [0x3F, 0xC0, 0, 0])
        #expect(TLV.encodeValue(.float(0.1)).count == 8)
        #expect(try TLV.decodeValue(TLV.encodeValue(.float(0.1)), as: .float, path: .root) == .float(0.1))
        #expect(try TLV.decodeValue([0x3F, 0xC0, 0, 0], as: .float, path: .root) == .float(1.5))
    }

    @Test(arguments: [
        ResourceValue.string("héllo, 世界"), .string(""), .integer(-70000), .unsignedInteger(UInt64.max),
        .unsignedInteger(200), .float(-3.25), .float(1e300), .boolean(true), .boolean(false), .opaque([0, 0xFF, 7]),
        .opaque([]), .time(1_700_000_000), .objlnk(ObjectLink(objectID: 3, instanceID: 0)), .corelnk("</3/0>;ver=1.1"),
    ])
    func everyTypeRoundTrips(_ v: ResourceValue) throws {
        let rid: UInt16 = switch v.type {
        case .string: 0
        case .integer: 1
        case .unsignedInteger: 2
        case .float: 3
        case .boolean: 4
        case .opaque: 5
        case .time: 6
        case .objlnk: 7
        case .corelnk: 8
        case .none: 5
        }
        let node = LwM2MNode.resource(.single(rid, v))
        let path = LwM2MPath(1000, 0, rid)
        #expect(try TLV.decode(TLV.encode(node), at: path, definition: Self.allTypes) == node)
    }

    @Test func nestedInstancesRoundTrip() throws {
        let long = String(repeating: "x", count: 300)  // 16-bit length field
        let node = LwM2MNode.object(id: 1000, instances: [
            ObjectInstance(id: 0, resources: [.single(0, .string(long)), .multiple(300, [0: .integer(1), 999: .integer(-2)])]),
            ObjectInstance(id: 3),
            ObjectInstance(id: 700, resources: [.multiple(300, [:]), .single(4, .boolean(false))]),
        ])
        let bytes = TLV.encode(node)
        #expect(try TLV.decode(bytes, at: LwM2MPath(1000), definition: Self.allTypes) == node)
    }

    @Test func largeValuesUseThreeByteLengths() throws {
        let big = [UInt8](repeating: 0xAB, count: 70_000)
        let bytes = TLV.encode(.resource(.single(5, .opaque(big))))
        #expect(Array(bytes.prefix(5)) == [0xD8, 0x05, 0x01, 0x11, 0x70])
        #expect(try TLV.decode(bytes, at: LwM2MPath(1000, 0, 5), definition: Self.allTypes) == .resource(.single(5, .opaque(big))))
    }

    @Test func undefinedResourcesDecodeAsOpaque() throws {
        let node = try TLV.decode(hex("C1 63 2A"), at: LwM2MPath(3, 0), definition: .device)
        #expect(node == .instance(ObjectInstance(id: 0, resources: [.single(99, .opaque([42]))])))
        let noDef = try TLV.decode(hex("C3 00 31 2E 30"), at: LwM2MPath(77, 1), definition: nil)
        #expect(noDef == .instance(ObjectInstance(id: 1, resources: [.single(0, .opaque(Array("1.0".utf8)))])))
    }

    @Test(arguments: [
        ("C8 00 14 4F 70", "length past the end"),
        ("C8", "header cut off"),
        ("E1 16", "16-bit id cut off"),
        ("D0 00 01", "16-bit length cut off"),
        ("08 00 03 41 00 01", "resource instance directly inside an instance"),
        ("86 06 C1 00 01", "resource inside a multiple resource"),
        ("86 06 08 00 00", "instance inside a multiple resource"),
        ("08 00 05 08 01 02 C1 00", "instance inside an instance"),
        ("C1 01 01 C1 01 02", "the same resource twice"),
        ("C0 09", "empty integer"),
        ("C9 09 01 02 03 04 05 06 07 08 09", "nine-byte integer"),
    ])
    func malformedInputIsRejected(_ input: String, _ why: String) {
        #expect(throws: ContentError.self, "\(why)") {
            _ = try TLV.decode(hex(input), at: LwM2MPath(3, 0), definition: .device)
        }
    }

    @Test func wrongTypesAreRejected() {
        // boolean 2, float of 3 bytes, objlnk of 2 bytes, invalid UTF-8 string
        #expect(throws: ContentError.self) { try TLV.decodeValue([2], as: .boolean, path: .root) }
        #expect(throws: ContentError.self) { try TLV.decodeValue([1, 2, 3], as: .float, path: .root) }
        #expect(throws: ContentError.self) { try TLV.decodeValue([1, 2], as: .objlnk, path: .root) }
        #expect(throws: ContentError.self) { try TLV.decodeValue([0xFF, 0xFE], as: .string, path: .root) }
        // A resource TLV at a resource path with another id, and two TLVs where one is expected.
        #expect(throws: ContentError.self) { try TLV.decode(hex("C1 0A 0F"), at: LwM2MPath(3, 0, 9), definition: .device) }
        #expect(throws: ContentError.self) { try TLV.decode(hex("C1 09 0F C1 09 0F"), at: LwM2MPath(3, 0, 9), definition: .device) }
        #expect(throws: ContentError.self) { try TLV.decode(hex("08 01 00"), at: LwM2MPath(3, 0), definition: .device) }
    }

    /// Every prefix of a valid document either decodes or throws; none traps.
    @Test func truncationNeverTraps() {
        let bytes = TLVGoldenTests.device
        for n in 0..<bytes.count {
            _ = try? TLV.decode(Array(bytes.prefix(n)), at: LwM2MPath(3, 0), definition: .device)
            _ = try? TLV.decodeEntries(Array(bytes.suffix(n)))
        }
        // Random-ish bytes from a simple LCG, deterministic.
        var x: UInt32 = 12345
        for _ in 0..<2000 {
            let count = Int(x % 40)
            var b: [UInt8] = []
            for _ in 0..<count { x = x &* 1_103_515_245 &+ 12345; b.append(UInt8(truncatingIfNeeded: x >> 16)) }
            _ = try? TLV.decode(b, at: LwM2MPath(3, 0), definition: .device)
            _ = try? TLV.decode(b, at: LwM2MPath(3), definition: .device)
            x = x &* 1_103_515_245 &+ 12345
        }
    }
}
