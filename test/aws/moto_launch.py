# Starts moto's server with one fix: DescribeParameters honours MaxResults (1..50) as AWS does.
# moto 5 pages DescribeParameters by 10 whatever MaxResults says, which would make the call budget
# of a listing (one call per 50 parameters) impossible to observe. Everything else is stock moto.
import sys

from moto.core.responses import ActionResult
from moto.ssm.responses import SimpleSystemManagerResponse


def _describe_parameters(self):
    try:
        size = int(self._get_param("MaxResults") or 10)
    except (TypeError, ValueError):
        size = 10
    size = max(1, min(size, 50))
    token = str(self._get_param("NextToken") or "0").strip() or "0"
    start = int(token) if token.isdigit() else 0
    found = self.ssm_backend.describe_parameters(self._get_param("Filters"), self._get_param("ParameterFilters"))
    page = found[start:start + size]
    response = {"Parameters": [p.describe_response_object(False) for p in page]}
    if start + size < len(found):
        response["NextToken"] = str(start + size)
    return ActionResult(response)


SimpleSystemManagerResponse.describe_parameters = _describe_parameters

if __name__ == "__main__":
    from moto.server import main

    main(sys.argv[1:])
