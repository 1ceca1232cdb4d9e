import Testing
@testable import LwM2M

@Suite struct PlainTextTests {
    @Test(arguments: [
        (ResourceValue.integer(-42), "-42"), (.unsignedInteger(18_446_744_073_709_551_615), "18446744073709551615"),
        (.float(3.5), "3.5"), (.boolean(true), "1"), (.boolean(false), "0"), (.time(1367491215), "1367491215"),
        (.objlnk(ObjectLink(objectID: 3, instanceID: 0)), "3:0"), (.string("Quectel"), "Quectel"),
        (.corelnk("</3/0>"), "</3/0>"),
    ])
    func encodesAndDecodes(_ v: ResourceValue, _ text: String) throws {
        #expect(String(decoding: PlainText.encodeValue(v), as: UTF8.self) == text)
        #expect(try PlainText.decodeValue(Array(text.utf8), as: v.type, path: .root) == v)
    }

    @Test func decodesAgainstTheDefinition() throws {
        #expect(try PlainText.decode(Array("300".utf8), at: LwM2MPath(1, 0, 1), definition: .server)
                == .resource(.single(1, .integer(300))))
        #expect(try PlainText.decode(Array("UQ".utf8), at: LwM2MPath(1, 0, 7), definition: .server)
                == .resource(.single(7, .string("UQ"))))
        // Opaque stays the raw text (the Andlink JSON write to /19/1/0).
        #expect(try PlainText.decode(Array("{\"a\":1}".utf8), at: LwM2MPath(19, 1, 0, 0), definition: .binaryAppDataContainer)
                == .resourceInstance(id: 0, value: .opaque(Array("{\"a\":1}".utf8))))
    }

    @Test(arguments: [("abc", ResourceType.integer), ("1.5", .integer), ("2", .boolean), ("true", .boolean),
                      ("3", .objlnk), ("3:x", .objlnk), ("-1", .unsignedInteger), ("nan", .float), ("", .integer)])
    func rejectsText(_ text: String, _ type: ResourceType) {
        #expect(throws: ContentError.self) { try PlainText.decodeValue(Array(text.utf8), as: type, path: .root) }
    }

    @Test func onlySingleValuesAreRepresentable() {
        #expect(throws: ContentError.self) { try PlainText.encode(.instance(ObjectInstance(id: 0))) }
        #expect(throws: ContentError.self) { try PlainText.encode(.resource(.multiple(6, [0: .integer(1)]))) }
        #expect(throws: ContentError.self) { try PlainText.decode(Array("1".utf8), at: LwM2MPath(3, 0), definition: .device) }
        #expect(throws: ContentError.self) { try PlainText.decodeValue([0xFF], as: .string, path: .root) }
    }

    @Test func opaqueFormatCarriesRawBytes() throws {
        #expect(try OpaqueContent.encode(.resource(.single(0, .opaque([0, 1, 2])))) == [0, 1, 2])
        #expect(try OpaqueContent.decode([9, 8], at: LwM2MPath(5, 0, 0)) == .resource(.single(0, .opaque([9, 8]))))
        #expect(throws: ContentError.self) { try OpaqueContent.encode(.resource(.single(0, .string("x")))) }
        #expect(throws: ContentError.self) { try OpaqueContent.decode([1], at: LwM2MPath(5, 0)) }
    }
}

@Suite struct LinkFormatTests {
    @Test func encodesRegistrationPayload() {
        let links = [Link("/", attributes: [.quoted("rt", "oma.lwm2m")]), Link(LwM2MPath(1, 0)), Link(LwM2MPath(3, 0)),
                     Link(LwM2MPath(19, 0))]
        #expect(LinkFormat.encode(links) == #"</>;rt="oma.lwm2m",</1/0>,</3/0>,</19/0>"#)
    }

    @Test func decodesAttributesQuotesAndCommas() throws {
        let text = #"</3/0/7>;dim=8;gt=50;lt=42.2,</x>;title="a, b; \"c\"";obs , </y>"#
        let links = try LinkFormat.decode(text)
        #expect(links.map(\.target) == ["/3/0/7", "/x", "/y"])
        #expect(links[0][attribute: "dim"] == "8")
        #expect(links[0][attribute: "lt"] == "42.2")
        #expect(links[0].path == LwM2MPath(3, 0, 7))
        #expect(links[1][attribute: "title"] == #"a, b; "c""#)
        #expect(links[1].has(attribute: "obs"))
        #expect(links[1][attribute: "obs"] == nil)
        #expect(links[2].attributes.isEmpty)
        // Round trip through the encoder.
        #expect(try LinkFormat.decode(LinkFormat.encode(links)) == links)
    }

    @Test func decodesARegistrationWithVersions() throws {
        let links = try LinkFormat.decode(Array(#"</>;rt="oma.lwm2m";ct=11543,</1/0>,</3>;ver=1.1,</3/0>,</19>"#.utf8))
        #expect(links.count == 5)
        #expect(links[0][attribute: "rt"] == "oma.lwm2m")
        #expect(links[0][attribute: "ct"] == "11543")
        #expect(links[2][attribute: "ver"] == "1.1")
        #expect(links.compactMap(\.path).map(\.description) == ["/", "/1/0", "/3", "/3/0", "/19"])
        #expect(try LinkFormat.decode("") == [])
    }

    @Test func decodesTextBeyondASCIIAndRefusesBrokenUTF8() throws {
        let text = #"</温度>;title="Zähler, \"Ω\"";rt=café"#
        let links = try LinkFormat.decode(Array(text.utf8))
        #expect(links.map(\.target) == ["/温度"])
        #expect(links[0][attribute: "title"] == #"Zähler, "Ω""#)
        #expect(links[0][attribute: "rt"] == "café")
        #expect(try LinkFormat.decode(text) == links)
        // A lone continuation byte and a truncated two-byte sequence.
        #expect(throws: ContentError.self) { try LinkFormat.decode([0x3C, 0x2F, 0x80, 0x3E]) }
        #expect(throws: ContentError.self) { try LinkFormat.decode(Array("</1/0>;t=\"".utf8) + [0xC3, 0x22]) }
    }

    @Test(arguments: ["/1/0", "</1/0", "</1/0>;", "</1/0>;=3", "</1/0>;a=\"x", "</1/0></3/0>", "</1/0>,", "</1/0>,,</3/0>"])
    func rejectsMalformed(_ text: String) {
        #expect(throws: ContentError.self) { try LinkFormat.decode(text) }
    }
}
