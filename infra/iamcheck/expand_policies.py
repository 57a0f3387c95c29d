"""Prints the IAM statements each function of a SAM template is granted, as JSON.

SAM policy templates (DynamoDBCrudPolicy, SQSSendMessagePolicy, ...) are expanded with
aws-sam-translator, the SAM CLI's own library, so the local check grants exactly what a
deploy would. Intrinsic functions stay in their long JSON form for the caller to resolve.
Usage: python expand_policies.py template.yaml
"""

import json
import sys

from samcli.yamlhelper import yaml_parse
from samtranslator.policy_template_processor.processor import PolicyTemplatesProcessor


def statements(policy, processor):
    """The statements of one entry of a function's Policies."""
    if isinstance(policy, str):
        # A managed policy by name or ARN: its document is not in the template.
        return [{"Unsupported": "managed policy " + policy}]
    if isinstance(policy, dict) and len(policy) == 1 and next(iter(policy)) in processor.policy_templates:
        name = next(iter(policy))
        return processor.convert(name, policy[name] or {})["Statement"]
    if isinstance(policy, dict) and "Statement" in policy:
        found = policy["Statement"]
        return found if isinstance(found, list) else [found]
    return [{"Unsupported": json.dumps(policy)}]


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        template = yaml_parse(f.read())
    processor = PolicyTemplatesProcessor(PolicyTemplatesProcessor.get_default_policy_templates_json())
    shared = ((template.get("Globals") or {}).get("Function") or {}).get("Policies") or []
    granted = {}
    for name, resource in (template.get("Resources") or {}).items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        policies = (resource.get("Properties") or {}).get("Policies") or []
        if not isinstance(policies, list):
            policies = [policies]
        granted[name] = [s for p in shared + policies for s in statements(p, processor)]
    json.dump(granted, sys.stdout)


if __name__ == "__main__":
    main()
