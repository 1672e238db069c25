/// Splits expression text into tokens. Works on Unicode scalars so that positions in errors
/// count characters the way people read them, not UTF-8 bytes.
///
/// Lexical rules: bare identifiers are `[A-Za-z_][A-Za-z0-9_.]*` (keywords excepted);
/// `"quoted identifiers"` and `'strings'` double their quote to escape it; numbers are
/// `-?digits[.digits][e[+-]digits]` (also `.5`), integers as Int64, beyond Int64.max as
/// UInt64, otherwise Double; `<>` is another spelling of `!=`.
struct ExpressionLexer {
    private let scalars: [Unicode.Scalar]
    private var index = 0

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    /// Every token, ending with `.end`.
    mutating func tokenize() throws -> [ExpressionToken] {
        var tokens: [ExpressionToken] = []
        while true {
            let token = try next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private func text(from start: Int) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars[start..<index])
        return String(s)
    }

    private func token(_ kind: ExpressionToken.Kind, from start: Int) -> ExpressionToken {
        ExpressionToken(kind: kind, position: start + 1, text: text(from: start))
    }

    private mutating func next() throws -> ExpressionToken {
        while let c = peek(), c == " " || c == "\t" || c == "\n" || c == "\r" { index += 1 }
        let start = index
        guard let c = peek() else { return ExpressionToken(kind: .end, position: index + 1, text: "") }
        switch c {
        case "(": index += 1; return token(.leftParen, from: start)
        case ")": index += 1; return token(.rightParen, from: start)
        case ",": index += 1; return token(.comma, from: start)
        case "=": index += 1; return token(.comparison(.equal), from: start)
        case "!":
            guard peek(1) == "=" else { throw ExpressionError("'!' must be followed by '='", position: start + 1) }
            index += 2
            return token(.comparison(.notEqual), from: start)
        case "<":
            index += 1
            if peek() == "=" { index += 1; return token(.comparison(.lessOrEqual), from: start) }
            if peek() == ">" { index += 1; return token(.comparison(.notEqual), from: start) }
            return token(.comparison(.less), from: start)
        case ">":
            index += 1
            if peek() == "=" { index += 1; return token(.comparison(.greaterOrEqual), from: start) }
            return token(.comparison(.greater), from: start)
        case "'":
            let value = try quoted(by: "'", what: "string")
            return token(.literal(.string(value)), from: start)
        case "\"":
            let name = try quoted(by: "\"", what: "quoted column name")
            guard !name.isEmpty else { throw ExpressionError("a quoted column name is empty", position: start + 1) }
            return token(.identifier(name), from: start)
        default:
            if Self.isDigit(c) || (c == "." && peek(1).map(Self.isDigit) == true)
                || (c == "-" && peek(1).map { Self.isDigit($0) || $0 == "." } == true)
            {
                return try number()
            }
            if Self.isIdentifierStart(c) {
                while let d = peek(), Self.isIdentifierPart(d) { index += 1 }
                let word = text(from: start)
                if let keyword = ExpressionToken.Keyword(word: word) { return token(.keyword(keyword), from: start) }
                return token(.identifier(word), from: start)
            }
            throw ExpressionError("unexpected character '\(Character(c))'", position: start + 1)
        }
    }

    /// Reads a `quote`-delimited run in which a doubled quote stands for one.
    private mutating func quoted(by quote: Unicode.Scalar, what: String) throws -> String {
        let start = index
        index += 1
        var value = String.UnicodeScalarView()
        while let c = peek() {
            index += 1
            if c == quote {
                guard peek() == quote else { return String(value) }
                index += 1
            }
            value.append(c)
        }
        throw ExpressionError("unterminated \(what)", position: start + 1)
    }

    private mutating func number() throws -> ExpressionToken {
        let start = index
        if peek() == "-" { index += 1 }
        var isInteger = true
        while let c = peek(), Self.isDigit(c) { index += 1 }
        if peek() == "." {
            isInteger = false
            index += 1
            while let c = peek(), Self.isDigit(c) { index += 1 }
        }
        if let e = peek(), e == "e" || e == "E" {
            isInteger = false
            index += 1
            if let sign = peek(), sign == "+" || sign == "-" { index += 1 }
            guard let d = peek(), Self.isDigit(d) else {
                throw ExpressionError("expected digits in the exponent", position: index + 1)
            }
            while let c = peek(), Self.isDigit(c) { index += 1 }
        }
        if let c = peek(), Self.isIdentifierPart(c) {
            throw ExpressionError("unexpected '\(Character(c))' after a number", position: index + 1)
        }
        let text = text(from: start)
        let position = start + 1
        if isInteger {
            if let v = Int64(text) { return ExpressionToken(kind: .literal(.int(v)), position: position, text: text) }
            if let v = UInt64(text) { return ExpressionToken(kind: .literal(.uint(v)), position: position, text: text) }
            throw ExpressionError("integer \(text) is out of range", position: position)
        }
        guard let v = Double(text), v.isFinite else {
            throw ExpressionError("number \(text) is out of range", position: position)
        }
        return ExpressionToken(kind: .literal(.float(v)), position: position, text: text)
    }

    static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 48 && c.value <= 57 }

    static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        (c.value >= 65 && c.value <= 90) || (c.value >= 97 && c.value <= 122) || c == "_"
    }

    static func isIdentifierPart(_ c: Unicode.Scalar) -> Bool {
        isIdentifierStart(c) || isDigit(c) || c == "."
    }
}
