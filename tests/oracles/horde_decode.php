<?php
// Second oracle for the WBXML tests: decodes a WBXML file with Horde's ActiveSync decoder
// (Debian 12 php-horde-activesync, Horde_ActiveSync_Wbxml_Decoder) and prints one line per token.
//
//   php horde_decode.php [--fragment] FILE   the event dump of FILE
//   php horde_decode.php --table             Horde's code pages: "page token namespace:name"
//
// Event dump, the format tests/wbxml/test_horde.cpp also prints from our tokenizer:
//   START ns:tag      a tag with content (an END follows later)
//   START ns:tag /    a tag without content
//   TEXT <escaped>    an inline string; 0x20..0x7E as is except "\" ("\\"), other bytes
//                     below 0x80 as \xNN, bytes from 0x80 up as they are (UTF-8)
//   OPAQUE <base64>   opaque data
//   END
//   ERROR <message>   Horde threw; the dump stops there (exit status 1)
// ns:tag are Horde's spellings: Horde's namespace for the code page ("" for AirSync, page 0)
// and its name for the tag; "?page:0xNN" when Horde has no name for the token. Horde's names
// differ from MS-ASWBXML in places (shared/specs-src/activesync/NOTES.md section 1); the test
// maps them, this script does not.
//
// Horde is driven the way its request handlers drive it: readWbxmlHeader() (not for headerless
// fragments such as Horde's own test fixtures), then getToken() until it returns nothing. A
// subclass only observes: it names unknown tokens, tells OPAQUE from inline strings (Horde gives
// both as content) and exposes the code-page table.

// Horde's packages (PEAR layout under /usr/share/php) without Horde_Autoloader, which Debian
// ships in another package: Horde_A_B lives in Horde/A/B.php.
spl_autoload_register(function ($class) {
    $file = str_replace('_', '/', $class) . '.php';
    if (stream_resolve_include_path($file) !== false) {
        require_once $file;
    }
});
if (!class_exists('Horde_ActiveSync_Wbxml_Decoder')) {
    fwrite(STDERR, "horde_decode: Horde_ActiveSync is not installed (php-horde-activesync)\n");
    exit(3);
}

final class oxwire_horde_decoder extends Horde_ActiveSync_Wbxml_Decoder
{
    public $opaque = false;  // the last token read was OPAQUE

    protected function _getOpaque($len)
    {
        $this->opaque = true;
        return parent::_getOpaque($len);
    }

    protected function _getMapping($cp, $id)
    {
        $name = parent::_getMapping($cp, $id);
        return $name === false ? sprintf('?%d:0x%02X', $cp, $id) : $name;
    }

    public function table()
    {
        $rows = array();
        foreach ($this->_dtd['codes'] as $cp => $codes) {
            $ns = isset($this->_dtd['namespaces'][$cp]) ? $this->_dtd['namespaces'][$cp] : '';
            foreach ($codes as $id => $name) {
                $rows[] = sprintf('%d 0x%02X %s:%s', $cp, $id, $ns, $name);
            }
        }
        return $rows;
    }
}

function escape_text($s)
{
    $out = '';
    $n = strlen($s);
    for ($i = 0; $i < $n; ++$i) {
        $b = ord($s[$i]);
        if ($b == 0x5C) {
            $out .= '\\\\';
        } elseif (($b >= 0x20 && $b != 0x7F) || $b >= 0x80) {
            $out .= $s[$i];
        } else {
            $out .= sprintf('\\x%02X', $b);
        }
    }
    return $out;
}

function dump($path, $fragment)
{
    $stream = fopen($path, 'rb');
    if ($stream === false) {
        fwrite(STDERR, "horde_decode: cannot open $path\n");
        return 2;
    }
    $dec = new oxwire_horde_decoder($stream);
    try {
        if (!$fragment) {
            $dec->readWbxmlHeader();
            if (!$dec->isWbxml()) {
                echo "ERROR not WBXML (version byte)\n";
                return 1;
            }
        }
        for (;;) {
            $dec->opaque = false;
            $el = $dec->getToken();
            if (empty($el)) {
                return 0;
            }
            switch ($el[Horde_ActiveSync_Wbxml::EN_TYPE]) {
            case Horde_ActiveSync_Wbxml::EN_TYPE_STARTTAG:
                $content = $el[Horde_ActiveSync_Wbxml::EN_FLAGS] & Horde_ActiveSync_Wbxml::EN_FLAGS_CONTENT;
                echo 'START ', $el[Horde_ActiveSync_Wbxml::EN_TAG], $content ? '' : ' /', "\n";
                break;
            case Horde_ActiveSync_Wbxml::EN_TYPE_ENDTAG:
                echo "END\n";
                break;
            case Horde_ActiveSync_Wbxml::EN_TYPE_CONTENT:
                $data = $el[Horde_ActiveSync_Wbxml::EN_CONTENT];
                echo $dec->opaque ? 'OPAQUE ' . base64_encode($data) : 'TEXT ' . escape_text($data), "\n";
                break;
            }
        }
    } catch (Exception $e) {
        echo 'ERROR ', str_replace("\n", ' ', $e->getMessage()), "\n";
        return 1;
    }
}

$args = array_slice($argv, 1);
if ($args == array('--table')) {
    $dec = new oxwire_horde_decoder(fopen('php://memory', 'rb'));
    echo implode("\n", $dec->table()), "\n";
    exit(0);
}
$fragment = !empty($args) && $args[0] == '--fragment';
if ($fragment) {
    array_shift($args);
}
if (count($args) != 1) {
    fwrite(STDERR, "usage: php horde_decode.php [--fragment] FILE | --table\n");
    exit(2);
}
exit(dump($args[0], $fragment));
