"""The words of the formula language's errors, in Vietnamese and English: every
``formula.*`` message, and the names of types, operators and counts they are built from.

Kept apart from the compiler (:mod:`metrics.formula`) so that a message is reworded in one place
and the compiler reads as the rules it checks.
"""

from __future__ import annotations

from sources.problems import register_messages

TYPE_WORDS: dict[str, dict[str, str]] = {
    "int": {"vi": "số", "en": "a number"},
    "float": {"vi": "số", "en": "a number"},
    "num": {"vi": "số", "en": "a number"},
    "bool": {"vi": "giá trị đúng/sai", "en": "a true/false value"},
    "str": {"vi": "văn bản", "en": "text"},
    "date": {"vi": "ngày", "en": "a date"},
    "datetime": {"vi": "ngày giờ", "en": "a date-time"},
    "null": {"vi": "giá trị rỗng (null)", "en": "null"},
    "num_or_date": {"vi": "số hoặc ngày", "en": "a number or a date"},
    "ordered": {"vi": "số, văn bản hoặc ngày", "en": "numbers, text or dates"},
    "value": {"vi": "một giá trị", "en": "a value"},
}

COLLECTION_WORDS: dict[str, dict[str, str]] = {
    "tuple": {"vi": "bộ giá trị (a, b)", "en": "tuples (a, b)"},
    "dict": {"vi": "từ điển {...}", "en": "dictionaries {...}"},
    "set": {"vi": "tập hợp {...}", "en": "sets {...}"},
    "list": {"vi": "danh sách [...]", "en": "lists [...]"},
}

register_messages(
    {
        "formula.not_text": {
            "vi": "công thức phải được viết dưới dạng văn bản",
            "en": "the formula must be written as text",
        },
        "formula.empty": {
            "vi": "công thức đang để trống; hãy viết một biểu thức, ví dụ count()",
            "en": "the formula is empty; write an expression such as count()",
        },
        "formula.too_long": {
            "vi": "công thức dài {length} ký tự, vượt giới hạn {limit} ký tự; "
            "hãy rút gọn hoặc tách thành nhiều chỉ số",
            "en": "the formula is {length} characters long, over the limit of {limit}; "
            "shorten it or split it into several metrics",
        },
        "formula.too_complex": {
            "vi": "công thức quá phức tạp (hơn {limit} thành phần); hãy tách thành nhiều chỉ số",
            "en": "the formula is too complex (more than {limit} parts); "
            "split it into several metrics",
        },
        "formula.too_deep": {
            "vi": "công thức lồng nhau quá sâu (hơn {limit} tầng); "
            "hãy bỏ bớt dấu ngoặc hoặc tách thành nhiều chỉ số",
            "en": "the formula is nested too deeply (more than {limit} levels); "
            "remove extra brackets or split it into several metrics",
        },
        "formula.syntax": {
            "vi": "không đọc được công thức tại vị trí này; hãy kiểm tra dấu ngoặc, dấu nháy, "
            "dấu phẩy và các phép toán",
            "en": "the formula cannot be read here ({detail}); check brackets, quotes, commas "
            "and operators",
        },
        "formula.unsupported": {
            "vi": "không được dùng '{what}' trong công thức",
            "en": "'{what}' is not allowed in formulas",
        },
        "formula.attribute": {
            "vi": "không được dùng dấu chấm để truy cập thuộc tính ('.{name}') trong công thức; "
            "hãy dùng các hàm có trong hướng dẫn công thức",
            "en": "attribute access ('.{name}') is not allowed in formulas; use the functions "
            "listed in the formula reference",
        },
        "formula.subscript": {
            "vi": "không được dùng chỉ mục [...] trong công thức; hãy gọi cột bằng tên của cột",
            "en": "indexing with [...] is not allowed in formulas; refer to a column by its name",
        },
        "formula.lambda": {
            "vi": "không được dùng lambda trong công thức; hãy viết trực tiếp biểu thức",
            "en": "lambda is not allowed in formulas; write the expression directly",
        },
        "formula.fstring": {
            "vi": "không được dùng chuỗi định dạng (f-string); hãy viết văn bản trong dấu nháy, "
            'ví dụ "online"',
            "en": 'f-strings are not allowed; write plain text in quotes, e.g. "online"',
        },
        "formula.comprehension": {
            "vi": "không được dùng vòng lặp [... for ...] trong công thức; hãy dùng hàm tổng hợp "
            'với where=, ví dụ sum(x, where=channel == "online")',
            "en": "comprehensions ([... for ...]) are not allowed; use an aggregate with where=, "
            'e.g. sum(x, where=channel == "online")',
        },
        "formula.walrus": {
            "vi": "không được dùng phép gán (:=) trong công thức",
            "en": "assignment (:=) is not allowed in formulas",
        },
        "formula.ternary": {
            "vi": "không dùng được cú pháp 'a if điều_kiện else b'; hãy viết when(điều_kiện, a, b)",
            "en": "'a if cond else b' is not supported; write when(cond, a, b)",
        },
        "formula.starred": {
            "vi": "không được dùng * hoặc ** khi gọi hàm; hãy viết rõ từng đối số",
            "en": "* and ** are not allowed in function calls; write each argument out",
        },
        "formula.collection": {
            "vi": "không được dùng {what[vi]} ở đây; danh sách [...] chỉ dùng sau 'in' "
            "hoặc 'not in'",
            "en": "{what[en]} are not allowed here; a list [...] may only follow 'in' or 'not in'",
        },
        "formula.literal": {
            "vi": "không hỗ trợ loại giá trị '{what}'; hãy dùng số, \"văn bản\", true, false, "
            'null hoặc date("YYYY-MM-DD")',
            "en": "values like '{what}' are not supported; use numbers, \"text\", true, false, "
            'null or date("YYYY-MM-DD")',
        },
        "formula.number_too_large": {
            "vi": "số {value} quá lớn; hãy viết một số nhỏ hơn",
            "en": "the number {value} is too large; write a smaller number",
        },
        "formula.operator": {
            "vi": "không hỗ trợ phép toán '{op}'; công thức chỉ dùng + - * / cho số",
            "en": "the operator '{op}' is not supported; formulas use + - * / on numbers",
        },
        "formula.bitwise": {
            "vi": "không hỗ trợ '{op}'; để kết hợp điều kiện hãy viết '{word}'",
            "en": "'{op}' is not supported; to combine conditions write '{word}'",
        },
        "formula.bare_date": {
            "vi": 'ngày \'{text}\' phải viết trong date("..."), ví dụ date("{text}")',
            "en": 'the date \'{text}\' must be written inside date("..."), e.g. date("{text}")',
        },
        "formula.chained_comparison": {
            "vi": "không hỗ trợ so sánh nối tiếp như a < b < c; hãy viết a < b and b < c",
            "en": "chained comparisons such as a < b < c are not supported; write a < b and b < c",
        },
        "formula.private_name": {
            "vi": "không được dùng tên bắt đầu bằng dấu gạch dưới ('{name}')",
            "en": "names starting with '_' are not allowed ('{name}')",
        },
        "formula.unknown_name": {
            "vi": "không có cột '{name}' trong nguồn dữ liệu",
            "en": "unknown column '{name}'",
        },
        "formula.function_needs_call": {
            "vi": "'{name}' là một hàm; hãy gọi kèm dấu ngoặc, ví dụ {name}(...)",
            "en": "'{name}' is a function; call it with brackets, e.g. {name}(...)",
        },
        "formula.unknown_function": {
            "vi": "không có hàm '{name}'; xem danh sách hàm trong hướng dẫn công thức",
            "en": "unknown function '{name}'; see the formula reference for the functions "
            "available",
        },
        "formula.not_callable": {
            "vi": "'{name}' không phải là hàm nên không gọi được",
            "en": "'{name}' is not a function and cannot be called",
        },
        "formula.keyword": {
            "vi": "hàm {function}() không có tùy chọn '{name}='; tùy chọn duy nhất là where= "
            "của các hàm tổng hợp",
            "en": "{function}() has no option '{name}='; the only option is where=, "
            "which aggregates accept",
        },
        "formula.arg_count": {
            "vi": "hàm {function}() cần {expected[vi]} đối số, nhưng đang có {got}",
            "en": "{function}() takes {expected[en]} argument(s), but {got} were given",
        },
        "formula.date_literal": {
            "vi": 'hàm date(...) cần một ngày viết trong dấu nháy, ví dụ date("2025-11-14")',
            "en": 'date(...) needs a date in quotes, e.g. date("2025-11-14")',
        },
        "formula.bad_date": {
            "vi": "'{value}' không phải là ngày hợp lệ; hãy viết theo dạng NĂM-THÁNG-NGÀY, "
            'ví dụ date("2025-11-14")',
            "en": "'{value}' is not a valid date; write it as YYYY-MM-DD, "
            'e.g. date("2025-11-14")',
        },
        "formula.metric_literal": {
            "vi": "hàm metric(...) cần mã chỉ số viết trong dấu nháy, "
            'ví dụ metric("online_filing_rate")',
            "en": 'metric(...) needs a metric id in quotes, e.g. metric("online_filing_rate")',
        },
        "formula.metric_not_allowed": {
            "vi": "chỉ dùng được metric(...) trong công thức giá trị của chỉ số tính từ các chỉ số "
            "khác",
            "en": "metric(...) can only be used in the value of a metric derived from other "
            "metrics",
        },
        "formula.metric_mixed": {
            "vi": "không kết hợp metric(...) với hàm tổng hợp {name}(...) trong cùng một công "
            'thức; hãy tách {name}(...) thành một chỉ số riêng và gọi bằng metric("mã")',
            "en": "metric(...) cannot be combined with the aggregate {name}(...) in one formula; "
            'make {name}(...) a metric of its own and refer to it with metric("id")',
        },
        "formula.round_digits": {
            "vi": "hàm round(x, n) cần n là số nguyên từ 0 đến {limit}, ví dụ round(x, 2)",
            "en": "round(x, n) needs n to be a whole number from 0 to {limit}, e.g. round(x, 2)",
        },
        "formula.type": {
            "vi": "'{expr}' là {actual[vi]}, nhưng {op[vi]} cần {expected[vi]}",
            "en": "'{expr}' is {actual[en]}, but {op[en]} needs {expected[en]}",
        },
        "formula.date_arith": {
            "vi": "không cộng trừ trực tiếp ngày bằng '{op}'; hãy dùng "
            "days_between(ngày_đầu, ngày_cuối) để tính số ngày giữa hai ngày",
            "en": "dates cannot be combined with '{op}'; use days_between(start, end) for the "
            "number of days between two dates",
        },
        "formula.compare_types": {
            "vi": "không so sánh được '{left}' ({left_type[vi]}) với '{right}' "
            "({right_type[vi]}); hai vế phải cùng loại giá trị",
            "en": "cannot compare '{left}' ({left_type[en]}) with '{right}' ({right_type[en]}); "
            "both sides must be the same kind of value",
        },
        "formula.date_string": {
            "vi": "'{expr}' là {actual[vi]}, nên hãy so sánh với một ngày viết dạng "
            'date("YYYY-MM-DD") thay vì văn bản',
            "en": "'{expr}' is {actual[en]}, so compare it with a date written as "
            'date("YYYY-MM-DD"), not with text',
        },
        "formula.compare_null": {
            "vi": "so sánh với null luôn cho kết quả rỗng; hãy viết '{expr} is null' hoặc "
            "'{expr} is not null'",
            "en": "comparing with null never gives an answer; write '{expr} is null' or "
            "'{expr} is not null'",
        },
        "formula.is_usage": {
            "vi": "chỉ dùng 'is' dưới dạng 'is null' hoặc 'is not null'; "
            "để so sánh giá trị hãy dùng ==",
            "en": "'is' can only be used as 'is null' or 'is not null'; use == to compare values",
        },
        "formula.in_needs_list": {
            "vi": "sau 'in' cần một danh sách giá trị trong ngoặc vuông, "
            'ví dụ channel in ["online", "post"]',
            "en": "'in' needs a list of values in square brackets, "
            'e.g. channel in ["online", "post"]',
        },
        "formula.in_item": {
            "vi": "danh sách sau 'in' chỉ được chứa giá trị cố định (số, \"văn bản\", true/false, "
            "date(...)); '{item}' không phải giá trị cố định",
            "en": "the list after 'in' may only hold fixed values (numbers, \"text\", "
            "true/false, date(...)); '{item}' is not one",
        },
        "formula.in_null": {
            "vi": "không đặt null trong danh sách sau 'in'; hãy viết riêng, "
            "ví dụ x is null or x in [...]",
            "en": "null cannot be in the list after 'in'; test it separately, "
            "e.g. x is null or x in [...]",
        },
        "formula.in_type": {
            "vi": "'{item}' là {actual[vi]}, nhưng '{expr}' là {expected[vi]}; mọi giá trị trong "
            "danh sách phải cùng loại",
            "en": "'{item}' is {actual[en]}, but '{expr}' is {expected[en]}; every value in the "
            "list must be of the same kind",
        },
        "formula.branch_types": {
            "vi": "hàm {function}() cần các giá trị cùng loại, nhưng '{a}' là {a_type[vi]} còn "
            "'{b}' là {b_type[vi]}",
            "en": "{function}() needs values of the same kind, but '{a}' is {a_type[en]} and "
            "'{b}' is {b_type[en]}",
        },
        "formula.nested_aggregate": {
            "vi": "không được dùng {inner}(...) bên trong {outer}(...); các hàm tổng hợp không "
            "lồng vào nhau được",
            "en": "{inner}(...) cannot be used inside {outer}(...); aggregates cannot be nested",
        },
        "formula.count_condition": {
            "vi": "count(...) đếm các dòng thỏa một điều kiện, nhưng '{expr}' là {actual[vi]}; "
            "hãy viết count() để đếm mọi dòng, count(điều_kiện) để đếm dòng thỏa điều kiện, "
            "hoặc n_unique({expr}) để đếm số giá trị khác nhau",
            "en": "count(...) counts the rows where a condition is true, but '{expr}' is "
            "{actual[en]}; write count() for all rows, count(cond) for rows meeting a condition, "
            "or n_unique({expr}) for distinct values",
        },
        "formula.column_outside_aggregate": {
            "vi": "cột '{name}' phải nằm trong một hàm tổng hợp, ví dụ sum({name})",
            "en": "column '{name}' must be inside an aggregate such as sum({name})",
        },
        "formula.value_type": {
            "vi": "công thức giá trị phải cho ra một số, nhưng đang cho ra {actual[vi]}; "
            "để tính tỷ lệ các dòng thỏa điều kiện hãy viết share(điều_kiện)",
            "en": "the value formula must give a number, but it gives {actual[en]}; "
            "for the share of rows meeting a condition write share(cond)",
        },
        "formula.where_type": {
            "vi": "bộ lọc where phải là một điều kiện đúng/sai, nhưng đang cho ra {actual[vi]}; "
            'ví dụ channel == "online"',
            "en": "a where filter must be a true/false condition, but it gives {actual[en]}; "
            'e.g. channel == "online"',
        },
        "formula.where_aggregate": {
            "vi": "bộ lọc where được xét theo từng dòng nên không dùng được {name}(...); "
            "hãy chuyển phần tổng hợp sang công thức giá trị",
            "en": "a where filter is checked row by row and cannot use {name}(...); "
            "move the aggregate to the value formula",
        },
    }
)


def type_words(key: str) -> dict[str, str]:
    return TYPE_WORDS[key]


def op_words(op: str) -> dict[str, str]:
    """How an operator or function is named in a type message ("phép '+'", "hàm sum()")."""
    if op.endswith("()"):
        return {"vi": f"hàm {op}", "en": op}
    if op == "where=":
        return {"vi": "bộ lọc where=", "en": "where="}
    return {"vi": f"phép '{op}'", "en": f"'{op}'"}


def count_words(low: int, high: int | None) -> dict[str, str]:
    if high == low:
        return {"vi": str(low), "en": str(low)}
    if high is None:
        return {"vi": f"ít nhất {low}", "en": f"at least {low}"}
    if high == low + 1:
        return {"vi": f"{low} hoặc {high}", "en": f"{low} or {high}"}
    return {"vi": f"từ {low} đến {high}", "en": f"{low} to {high}"}


def clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
