SELECT id, name FROM crm.customers WHERE active = 1 ORDER BY id
