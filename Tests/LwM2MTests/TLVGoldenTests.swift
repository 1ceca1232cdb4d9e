import Testing
@testable import LwM2M

/// Byte vectors from OMA-TS-LightweightM2M-V1_0 §6.4.3 (the TLV examples). The hex was
/// checked against the spec's tables value by value and matches the vectors Eclipse Leshan's
/// decoder tests quote from the same examples (read, not copied: the bytes are the spec's).
@Suite struct TLVGoldenTests {
    /// §6.4.3.1 "Single Object Instance Request Example": Read /3/0 answered as bare resources.
    static let device = hex("""
        C8 00 14 4F 70 65 6E 20 4D 6F 62 69 6C 65 20 41 6C 6C 69 61 6E 63 65
        C8 01 16 4C 69 67 68 74 77 65 69 67 68 74 20 4D 32 4D 20 43 6C 69 65 6E 74
        C8 02 09 33 34 35 30 30 30 31 32 33
        C3 03 31 2E 30
        86 06 41 00 01 41 01 05
        88 07 08 42 00 0E D8 42 01 13 88
        87 08 41 00 7D 42 01 03 84
        C1 09 64
        C1 0A 0F
        83 0B 41 00 00
        C4 0D 51 82 42 8F
        C6 0E 2B 30 32 3A 30 30
        C1 10 55
        """)

    static let deviceInstance = ObjectInstance(id: 0, resources: [
        .single(0, .string("Open Mobile Alliance")),
        .single(1, .string("Lightweight M2M Client")),
        .single(2, .string("345000123")),
        .single(3, .string("1.0")),
        .multiple(6, [0: .integer(1), 1: .integer(5)]),
        .multiple(7, [0: .integer(3800), 1: .integer(5000)]),
        .multiple(8, [0: .integer(125), 1: .integer(900)]),
        .single(9, .integer(100)),
        .single(10, .integer(15)),
        .multiple(11, [0: .integer(0)]),
        .single(13, .time(0x5182428F)),
        .single(14, .string("+02:00")),
        .single(16, .string("U")),
    ])

    @Test func deviceInstanceEncodesToTheSpecBytes() {
        let bytes = TLV.encode(.instance(Self.deviceInstance))
        #expect(hexString(bytes) == hexString(Self.device))
    }

    @Test func deviceInstanceDecodesFromTheSpecBytes() throws {
        let node = try TLV.decode(Self.device, at: LwM2MPath(3, 0), definition: .device)
        #expect(node == .instance(Self.deviceInstance))
    }

    @Test func deviceReadFromTheStoreIsTheSpecBytes() throws {
        var tree = ObjectTree(definitions: [.device])
        try tree.setInstance(Self.deviceInstance, of: 3)
        let content = try tree.read(LwM2MPath(3, 0), accept: nil)
        #expect(content.format == .tlv)
        #expect(content.bytes == Self.device)
    }

    /// §6.4.3.2 A): the same instance wrapped in one Object Instance TLV (08 00 79, 121 bytes).
    @Test func deviceWrappedInAnInstanceTLV() throws {
        let wrapped = hex("08 00 79") + Self.device
        #expect(TLV.encode(.object(id: 3, instances: [Self.deviceInstance])) == wrapped)
        #expect(try TLV.decode(wrapped, at: LwM2MPath(3, 0), definition: .device) == .instance(Self.deviceInstance))
        #expect(try TLV.decode(wrapped, at: LwM2MPath(3), definition: .device)
                == .object(id: 3, instances: [Self.deviceInstance]))
    }

    /// §6.4.3.2 B): two Access Control instances, one with a 16-bit resource instance id (310).
    @Test func accessControlTwoInstances() throws {
        let bytes = hex("08 00 0E C1 00 01 C1 01 00 83 02 41 7F 07 C1 03 7F"
                        + "08 02 12 C1 00 03 C1 01 00 87 02 41 7F 07 61 01 36 01 C1 03 7F")
        let acl = ObjectDefinition(id: 2, name: "Access Control", multipleInstances: true, resources: [
            .init(id: 0, name: "Object ID", operations: .read, type: .integer),
            .init(id: 1, name: "Object Instance ID", operations: .read, type: .integer),
            .init(id: 2, name: "ACL", operations: .readWrite, multiple: true, type: .integer),
            .init(id: 3, name: "Access Control Owner", operations: .readWrite, type: .integer),
        ])
        let expected = LwM2MNode.object(id: 2, instances: [
            ObjectInstance(id: 0, resources: [.single(0, .integer(1)), .single(1, .integer(0)),
                                              .multiple(2, [127: .integer(7)]), .single(3, .integer(127))]),
            ObjectInstance(id: 2, resources: [.single(0, .integer(3)), .single(1, .integer(0)),
                                              .multiple(2, [127: .integer(7), 310: .integer(1)]), .single(3, .integer(127))]),
        ])
        #expect(try TLV.decode(bytes, at: LwM2MPath(2), definition: acl) == expected)
        #expect(TLV.encode(expected) == bytes)
    }

    /// §6.4.3.2 C): one Server instance; Lifetime 86400 needs 4 bytes.
    @Test func serverInstance() throws {
        let bytes = hex("08 00 0F C1 00 01 C4 01 00 01 51 80 C1 06 01 C1 07 55")
        let expected = LwM2MNode.object(id: 1, instances: [ObjectInstance(id: 0, resources: [
            .single(0, .integer(1)), .single(1, .integer(86400)), .single(6, .boolean(true)), .single(7, .string("U")),
        ])])
        #expect(try TLV.decode(bytes, at: LwM2MPath(1), definition: .server) == expected)
        #expect(TLV.encode(expected) == bytes)
    }

    /// §6.4.3.3: Objlnk resources, including the null link 65535:65535.
    @Test func objectLinks() throws {
        let obj65 = ObjectDefinition(id: 65, name: "65", multipleInstances: false, resources: [
            .init(id: 0, name: "links", operations: .read, multiple: true, type: .objlnk),
            .init(id: 1, name: "number", operations: .read, type: .string),
            .init(id: 2, name: "value", operations: .read, type: .integer),
        ])
        let bytes = hex("88 00 0C 44 00 00 42 00 00 44 01 00 42 00 01"
                        + "C8 01 0D 38 36 31 33 38 30 30 37 35 35 35 30 30 C4 02 12 34 56 78")
        let expected = LwM2MNode.instance(ObjectInstance(id: 0, resources: [
            .multiple(0, [0: .objlnk(ObjectLink(objectID: 66, instanceID: 0)), 1: .objlnk(ObjectLink(objectID: 66, instanceID: 1))]),
            .single(1, .string("8613800755500")),
            .single(2, .integer(0x12345678)),
        ]))
        #expect(try TLV.decode(bytes, at: LwM2MPath(65, 0), definition: obj65) == expected)
        #expect(TLV.encode(expected) == bytes)

        let obj66 = ObjectDefinition(id: 66, name: "66", multipleInstances: true, resources: [
            .init(id: 0, name: "a", operations: .read, type: .string),
            .init(id: 1, name: "b", operations: .read, type: .string),
            .init(id: 2, name: "link", operations: .read, type: .objlnk),
        ])
        let bytes66 = hex("08 00 26 C8 00 0B 6D 79 53 65 72 76 69 63 65 20 31 C8 01 0F 49 6E 74 65 72 6E 65 74 2E 31 35 2E 32 33 34 C4 02 00 43 00 00"
                          + "08 01 26 C8 00 0B 6D 79 53 65 72 76 69 63 65 20 32 C8 01 0F 49 6E 74 65 72 6E 65 74 2E 31 35 2E 32 33 35 C4 02 FF FF FF FF")
        let node = try TLV.decode(bytes66, at: LwM2MPath(66), definition: obj66)
        guard case .object(_, let insts) = node else { Issue.record("not an object"); return }
        #expect(insts.map(\.id) == [0, 1])
        #expect(insts[0][2]?.singleValue == .objlnk(ObjectLink(objectID: 67, instanceID: 0)))
        #expect(insts[1][2]?.singleValue == .objlnk(.null))
        #expect(TLV.encode(node) == bytes66)
    }

    /// Resource-level forms: one resource, a multiple resource, a resource instance.
    @Test func resourceForms() throws {
        #expect(TLV.encode(.resource(.single(9, .integer(100)))) == hex("C1 09 64"))
        #expect(TLV.encode(.resource(.multiple(6, [0: .integer(1), 1: .integer(5)]))) == hex("86 06 41 00 01 41 01 05"))
        #expect(TLV.encode(.resourceInstance(id: 1, value: .integer(5))) == hex("41 01 05"))
        // 16-bit resource id (5850 from the IPSO switch examples): E1 16 DA 01
        #expect(TLV.encode(.resource(.single(5850, .boolean(true)))) == hex("E1 16 DA 01"))
        #expect(try TLV.decode(hex("41 01 05"), at: LwM2MPath(3, 0, 6, 1), definition: .device)
                == .resourceInstance(id: 1, value: .integer(5)))
        // A multiple resource written as bare resource instances.
        #expect(try TLV.decode(hex("41 00 01 41 01 05"), at: LwM2MPath(3, 0, 6), definition: .device)
                == .resource(.multiple(6, [0: .integer(1), 1: .integer(5)])))
    }
}
